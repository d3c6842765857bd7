import Foundation
import XCTest
@testable import Engine

final class StatisticsTests: XCTestCase {
    func testQuantilesInterpolateLinearlyBetweenOrderStatistics() {
        // Type 7: h = (n − 1)p; for (1, 2, 3, 4), p = 0.9 gives h = 2.7 → 3 + 0.7·(4 − 3) = 3.7.
        XCTAssertEqual(Quantiles.of([4, 1, 3, 2], [0, 0.5, 0.9, 1]), [1, 2.5, 3.7, 4])
    }

    func testInfiniteValuesCountAsTheLargest() {
        let q = Quantiles.of([1, 2, 3, .infinity], [0, 1.0 / 3, 0.5, 1])
        XCTAssertEqual(q, [1, 2, 2.5, .infinity])
        XCTAssertEqual(Quantiles.of([1, .infinity], 0.5), .infinity)
    }

    func testHillEstimatorRecoversAParetoTailIndex() {
        // Pareto(α = 1.5): X = U^{−1/α}. With k = 2000 the estimator's sd is α/√k ≈ 0.034; 5 sd = 0.17.
        var rng = RNG(seed: 11)
        let sample = (0..<200_000).map { _ in Foundation.pow(rng.uniformOpen(), -1 / 1.5) }
        XCTAssertEqual(HillEstimator.tailIndex(sample, k: 2000), 1.5, accuracy: 0.17)
    }

    func testHillEstimatorSeesGaussianTailsAsLight() {
        var rng = RNG(seed: 12)
        let sample = (0..<100_000).map { _ in abs(rng.normal()) }
        XCTAssertGreaterThan(HillEstimator.tailIndex(sample), 3)
    }

    func testSummaryUsesTheUnbiasedVariance() {
        let s = Summary([1, 2, 3, 4])
        XCTAssertEqual(s.mean, 2.5)
        XCTAssertEqual(s.standardDeviation, (5.0 / 3).squareRoot(), accuracy: 1e-12)
    }
}
