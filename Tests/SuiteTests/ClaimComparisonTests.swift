import Engine
import XCTest
@testable import Suite

extension Claim.Outcome {
    /// An outcome decided by an exact quantity: 0 (holds) or 2 (fails) against "< 1".
    static func decided(_ holds: Bool) -> Claim.Outcome {
        .init(Comparison("q", .exact(holds ? 0 : 2), .below, 1, runs: [1]))
    }
}

final class ClaimComparisonTests: XCTestCase {
    func comparison(_ lower: Double, _ upper: Double, _ relation: Comparison.Relation, _ threshold: Double) -> Comparison {
        Comparison("q", Estimate(value: (lower + upper) / 2, lower: lower, upper: upper, method: "test"), relation, threshold, runs: [3, 3])
    }

    func testComparisonHoldsOnlyWhenTheWholeIntervalIsOnItsSide() {
        XCTAssertEqual(comparison(0.2, 0.8, .below, 1).decision, .holds)
        XCTAssertEqual(comparison(0.2, 1.2, .below, 1).decision, .inconclusive)
        XCTAssertEqual(comparison(1.0, 1.2, .below, 1).decision, .fails, "no value of [1, 1.2] is below 1")
        XCTAssertEqual(comparison(0.5, 1.0, .atMost, 1).decision, .holds)
        XCTAssertEqual(comparison(0.5, 1.0, .below, 1).decision, .inconclusive, "the interval reaches the threshold")
        XCTAssertEqual(comparison(2.1, 4.5, .above, 2).decision, .holds)
        XCTAssertEqual(comparison(-3, 2, .above, 2).decision, .fails)
        XCTAssertEqual(comparison(1.9, 2.5, .atLeast, 2).decision, .inconclusive)
        XCTAssertEqual(comparison(-.infinity, .infinity, .below, 1).decision, .inconclusive, "no interval decides nothing")
        XCTAssertEqual(comparison(.nan, .nan, .below, 1).decision, .inconclusive)
    }

    func testATieOfPairedSeedsIsInconclusive() {
        // orpo-improves-ndcg at full scale before intervals: a difference of 0.00003 "held".
        let orpo = RunValues(seeds: [0, 1, 2], values: [0.03806, 0.03747, 0.03636])
        let ce = RunValues(seeds: [0, 1, 2], values: [0.03808, 0.03737, 0.03635])
        let c = Comparison.meanDifference("ORPO − CE", orpo, ce, .above, 0)
        XCTAssertEqual(c.estimate.method, "paired t, ν = 2")
        XCTAssertEqual(c.decision, .inconclusive)
        XCTAssertLessThan(c.estimate.lower, 0)
    }

    func testGroupsWithOtherSeedsAreComparedUnpaired() {
        let a = RunValues(seeds: [0, 1, 2], values: [1, 2, 3]), b = RunValues(seeds: [3, 4, 5], values: [1, 2, 3])
        XCTAssertTrue(Comparison.meanDifference("d", a, b, .above, 0).estimate.method.hasPrefix("Welch"))
        XCTAssertTrue(Comparison.meanRatio("r", a, a, .above, 0).estimate.method.contains("paired"))
    }

    func testAllNeedsEveryComparisonAndAnyNeedsOne() {
        let (holds, open, fails) = (comparison(0, 0.5, .below, 1), comparison(0.5, 1.5, .below, 1), comparison(2, 3, .below, 1))
        XCTAssertEqual(Claim.Outcome([holds, holds]).decision, .holds)
        XCTAssertEqual(Claim.Outcome([holds, open]).decision, .inconclusive)
        XCTAssertEqual(Claim.Outcome([open, fails]).decision, .fails)
        XCTAssertEqual(Claim.Outcome([fails, holds], combination: .any).decision, .holds)
        XCTAssertEqual(Claim.Outcome([fails, open], combination: .any).decision, .inconclusive)
        XCTAssertEqual(Claim.Outcome([fails, fails], combination: .any).decision, .fails)
    }

    func testQuantileRatioOfAFiniteOverADivergedGroupIsZero() {
        let finite = RunValues(seeds: Array(0..<10), values: (1...10).map(Double.init))
        let diverged = RunValues(seeds: Array(0..<10), values: Array(repeating: .infinity, count: 10))
        let c = Comparison.quantileRatio("q0.9", 0.9, finite, diverged, .below, 1)
        XCTAssertEqual(c.estimate.value, 0)
        XCTAssertEqual(c.decision, .holds)
    }

}
