@testable import OptimizerBenchmark
import XCTest

final class PerformanceProfileTests: XCTestCase {
    /// Three workloads, two optimizers: A is best on w0 and w2 (tied there), B on w1; B never
    /// reaches the target of w2. Ratios: A = (1, 2, 1), B = (1.5, 1, ∞).
    func testFractionsAreTheSharesOfWorkloadsWithinTauOfTheBest() {
        let profile = PerformanceProfile(costs: [[100, 150], [40, 20], [60, .infinity]])
        XCTAssertEqual(profile.ratios[0], [1, 2, 1])
        XCTAssertEqual(profile.ratios[1], [1.5, 1, .infinity])
        XCTAssertEqual(profile.fraction(0, within: 1), 2.0 / 3)
        XCTAssertEqual(profile.fraction(1, within: 1), 1.0 / 3)
        XCTAssertEqual(profile.fraction(0, within: 2), 1)
        XCTAssertEqual(profile.fraction(1, within: 1.49), 1.0 / 3)
        XCTAssertEqual(profile.fraction(1, within: 1000), 2.0 / 3, "a workload it never solves stays out")
        XCTAssertEqual(profile.curve(1).map(\.tau), [1, 1.5, profile.tauMax])
        XCTAssertEqual(profile.curve(1).map(\.fraction), [1.0 / 3, 2.0 / 3, 2.0 / 3])
    }

    func testAWorkloadNoOptimizerSolvesCountsForNone() {
        let profile = PerformanceProfile(costs: [[.infinity, .infinity], [10, 30]])
        XCTAssertEqual(profile.fraction(0, within: 1), 0.5)
        XCTAssertEqual(profile.fraction(1, within: 10), 0.5)
    }
}
