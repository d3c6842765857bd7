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

final class StudentTTests: XCTestCase {
    func testQuantilesMatchPublishedTables() {
        // Two-sided 95 % and 99.9 % critical values (Fisher & Yates; any t table) and the normal limit.
        let table: [(nu: Double, p: Double, t: Double)] = [
            (1, 0.975, 12.7062), (2, 0.975, 4.3027), (4, 0.975, 2.7764), (10, 0.975, 2.2281), (30, 0.975, 2.0423),
            (1, 0.9995, 636.619), (4, 0.9995, 8.6103), (8, 0.9995, 5.0413), (20, 0.9995, 3.8495), (1e6, 0.975, 1.95997),
        ]
        for (nu, p, t) in table {
            XCTAssertEqual(StudentT.quantile(p, degreesOfFreedom: nu), t, accuracy: t * 2e-5, "t_{\(nu), \(p)}")
            XCTAssertEqual(StudentT.quantile(1 - p, degreesOfFreedom: nu), -t, accuracy: t * 2e-5)
        }
    }

    func testCDFIsTheCauchyLawForOneDegreeOfFreedom() {
        for t in [-30.0, -2, -0.5, 0, 0.3, 1, 7] {
            XCTAssertEqual(StudentT.cdf(t, degreesOfFreedom: 1), 0.5 + atan(t) / Double.pi, accuracy: 1e-13)
        }
        XCTAssertEqual(StudentT.cdf(.infinity, degreesOfFreedom: 3), 1)
    }
}
