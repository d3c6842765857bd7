import Foundation
import XCTest
@testable import Engine

/// The claims' intervals against values computed independently with SciPy 1.17
/// (`stats.ttest_1samp`, `stats.ttest_ind(equal_var=False).confidence_interval`, `stats.linregress`,
/// and Fieller's bounds found by root-finding the paired t test's p-value at 0.05).
final class IntervalTests: XCTestCase {
    func testPairedDifferenceIsTheTIntervalOfTheSeedsDifferences() {
        let e = MeanInterval.difference([1, 2, 4], [0.5, 1, 1.5], paired: true)
        XCTAssertEqual(e.value, 1.3333333333333333, accuracy: 1e-12)
        XCTAssertEqual(e.lower, -1.2522391729377984, accuracy: 1e-9)
        XCTAssertEqual(e.upper, 3.9189058396044647, accuracy: 1e-9)
        XCTAssertEqual(e.method, "paired t, ν = 2")
    }

    func testUnpairedDifferenceIsWelchsInterval() {
        let e = MeanInterval.difference([1, 2, 4, 7], [0.5, 1, 1.5], paired: false)
        XCTAssertEqual(e.value, 2.5, accuracy: 1e-12)
        XCTAssertEqual(e.lower, -1.6073900540715513, accuracy: 1e-9)
        XCTAssertEqual(e.upper, 6.607390054071551, accuracy: 1e-9)
        XCTAssertEqual(e.method, "Welch t, ν = 3.3")
    }

    func testPairedRatioIsFiellersInterval() {
        let e = MeanInterval.ratio([10, 12, 11, 13], [5, 5.5, 6, 6.2], paired: true)
        XCTAssertEqual(e.value, 2.026431718061674, accuracy: 1e-12)
        XCTAssertEqual(e.lower, 1.7846570996106443, accuracy: 1e-8)
        XCTAssertEqual(e.upper, 2.279358075737831, accuracy: 1e-8)
    }

    func testRatioOverADenominatorNearZeroIsUnbounded() {
        let e = MeanInterval.ratio([1, 2, 3], [-1, 0.1, 1.2], paired: true)
        XCTAssertEqual(e.lower, -.infinity)
        XCTAssertEqual(e.upper, .infinity)
    }

    func testOneRunOnASideGivesNoInterval() {
        let e = MeanInterval.difference([1], [2, 3], paired: false)
        XCTAssertEqual(e.value, -1.5)
        XCTAssertEqual(e.lower, -.infinity)
        XCTAssertEqual(e.upper, .infinity)
        XCTAssertTrue(e.method.contains("one run"))
    }

    func testADivergedRunLeavesTheIntervalUndefined() {
        let e = MeanInterval.difference([1, .infinity], [2, 3], paired: true)
        XCTAssertTrue(e.lower.isNaN && e.upper.isNaN)
    }

    func testTIntervalCoversTheMeanDifferenceAtItsLevel() {
        // 4000 paired experiments of 4 seeds with a true difference of 0.3: the interval must
        // contain it in 95 % of them (binomial sd 0.34 %; 4 sd allowed).
        var rng = RNG(seed: 5)
        var covered = 0
        let trials = 4000
        for _ in 0..<trials {
            let shared = (0..<4).map { _ in rng.normal() }
            let x = shared.map { $0 + 0.3 + 0.5 * rng.normal() }, y = shared.map { $0 + 0.5 * rng.normal() }
            let e = MeanInterval.difference(x, y, paired: true)
            if e.lower <= 0.3 && 0.3 <= e.upper { covered += 1 }
        }
        XCTAssertEqual(Double(covered) / Double(trials), 0.95, accuracy: 0.0138)
    }

    func testSlopeIntervalIsLeastSquaresWithNMinusTwoDegrees() {
        let x = [50.0, 100, 200, 400, 800].map { Foundation.log($0) }, y = [1.0, 2.1, 3.9, 8.3, 15.8].map { Foundation.log($0) }
        let e = RegressionSlope.estimate(x: x, y: y)
        XCTAssertEqual(e.value, 0.9946427315147647, accuracy: 1e-12)
        XCTAssertEqual(e.lower, 0.9420135916216233, accuracy: 1e-9)
        XCTAssertEqual(e.upper, 1.0472718714079061, accuracy: 1e-9)
    }

    func testBootstrapIsDeterministicForALabelAndDiffersAcrossLabels() {
        var rng = RNG(seed: 3)
        let x = (0..<50).map { _ in rng.normal() }, y = (0..<50).map { _ in 1 + rng.normal() }
        let median: ([Double], [Double]) -> Double = { Quantiles.of($0, 0.5) - Quantiles.of($1, 0.5) }
        let a = Bootstrap(label: "claim/median").interval(x, y, paired: true, statistic: median)
        let b = Bootstrap(label: "claim/median").interval(x, y, paired: true, statistic: median)
        let c = Bootstrap(label: "other").interval(x, y, paired: true, statistic: median)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a.lower, c.lower)
        XCTAssertTrue(a.lower < a.value && a.value < a.upper)
        XCTAssertEqual(a.method, "paired bootstrap, 4000 resamples")
    }

    func testPairedBootstrapRemovesWhatTheSeedDoesToBothSides() {
        // Each seed shifts both sides by the same large amount; pairing must see through it.
        var rng = RNG(seed: 8)
        let shared = (0..<40).map { _ in 10 * rng.normal() }
        let x = shared.map { $0 + 1 + 0.1 * rng.normal() }, y = shared.map { $0 + 0.1 * rng.normal() }
        let meanDifference: ([Double], [Double]) -> Double = { MeanInterval.mean($0) - MeanInterval.mean($1) }
        let paired = Bootstrap(label: "p").interval(x, y, paired: true, statistic: meanDifference)
        let unpaired = Bootstrap(label: "p").interval(x, y, paired: false, statistic: meanDifference)
        XCTAssertGreaterThan(paired.lower, 0.9)
        XCTAssertLessThan(paired.upper, 1.1)
        XCTAssertLessThan(unpaired.lower, 0)
    }

    func testBootstrapOfAnUpperQuantileAcceptsDivergedRuns() {
        let x = [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10], y = [1.0, 2, 3, 4, 5, 6, 7, 8, .infinity, .infinity]
        let e = Bootstrap(label: "q").interval(x, y, paired: true) { Quantiles.of($0, 0.9) - Quantiles.of($1, 0.9) }
        XCTAssertEqual(e.value, -.infinity)
        XCTAssertEqual(e.lower, -.infinity)
        XCTAssertTrue(e.upper.isFinite)
    }

    func testBootstrapGivesNoIntervalFromFewerThanTenRunsASide() {
        let e = Bootstrap(label: "few").interval([1, 2, 3, 4, 5], [2, 3, 4, 5, 6], paired: true) { Quantiles.of($0, 0.5) - Quantiles.of($1, 0.5) }
        XCTAssertEqual(e.value, -1)
        XCTAssertEqual(e.lower, -.infinity)
        XCTAssertEqual(e.upper, .infinity)
        XCTAssertEqual(e.method, "no interval: a bootstrap needs 10 runs per side")
    }

    func testHillIntervalIsItsAsymptoticNormalBand() {
        var rng = RNG(seed: 11)
        let sample = (0..<10_000).map { _ in Foundation.pow(rng.uniformOpen(), -1 / 1.5) }
        let e = HillEstimator.tailIndexEstimate(sample)
        XCTAssertEqual(e.value, HillEstimator.tailIndex(sample, k: 100))
        XCTAssertEqual(e.upper - e.value, 1.959963984540054 * e.value / 10, accuracy: 1e-12)
        XCTAssertTrue(e.lower < 1.5 && 1.5 < e.upper)
    }
}
