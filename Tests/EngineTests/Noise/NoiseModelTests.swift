import Foundation
import XCTest
@testable import Engine

/// Empirical quantiles against closed forms. The standard error of the p-quantile of n draws is
/// √(p(1−p)/n)/f(q_p) (f the density); every check allows 5 standard errors, so a correct sampler
/// fails with probability below 10⁻⁵ while a wrong scale or shape (errors ≥ 5 %) is caught.
final class NoiseModelTests: XCTestCase {
    let n = 200_000

    func draws(_ model: some NoiseModel, seed: UInt64) -> [Double] {
        var rng = RNG(seed: seed)
        return (0..<n).map { _ in model.sample(&rng) }
    }

    func assertQuantiles(_ sample: [Double], _ cases: [(p: Double, q: Double, density: Double)], file: StaticString = #filePath, line: UInt = #line) {
        let empirical = Quantiles.of(sample, cases.map(\.p))
        for (c, e) in zip(cases, empirical) {
            let se = (c.p * (1 - c.p) / Double(sample.count)).squareRoot() / c.density
            XCTAssertEqual(e, c.q, accuracy: 5 * se, "quantile \(c.p)", file: file, line: line)
        }
    }

    func normalDensity(_ x: Double, sigma: Double) -> Double {
        Foundation.exp(-x * x / (2 * sigma * sigma)) / (sigma * (2 * Double.pi).squareRoot())
    }

    func testGaussianQuantiles() {
        let s = 0.5
        assertQuantiles(draws(GaussianNoise(sigma: s), seed: 1), [
            (0.5, 0, normalDensity(0, sigma: s)),
            (0.9, 1.2815516 * s, normalDensity(1.2815516 * s, sigma: s)),
            (0.975, 1.9599640 * s, normalDensity(1.9599640 * s, sigma: s)),
        ])
    }

    func testCauchyQuantiles() {
        let model = CauchyNoise(sigma: 2)
        func density(_ x: Double) -> Double { 1 / (Double.pi * 2 * (1 + (x / 2) * (x / 2))) }
        assertQuantiles(draws(model, seed: 2), [0.75, 0.9, 0.99].map { ($0, model.quantile($0), density(model.quantile($0))) })
    }

    func testStudentTWithTwoDegreesOfFreedomHasItsClosedFormQuantiles() {
        // t₂: q_p = (2p − 1)/√(2p(1 − p)), density (2 + t²)^{−3/2}.
        func q(_ p: Double) -> Double { (2 * p - 1) / (2 * p * (1 - p)).squareRoot() }
        assertQuantiles(draws(StudentTNoise(nu: 2), seed: 3), [0.6, 0.9, 0.99].map { ($0, q($0), Foundation.pow(2 + q($0) * q($0), -1.5)) })
    }

    func testStudentTWithManyDegreesOfFreedomIsNearlyGaussian() {
        // ν = 200: the 0.975 quantile is 1.97190 (tables), against 1.95996 for the Gaussian.
        assertQuantiles(draws(StudentTNoise(nu: 200, sigma: 1), seed: 4), [(0.975, 1.97190, normalDensity(1.97190, sigma: 1))])
    }

    func testAlphaStableWithAlphaTwoIsGaussianWithVarianceTwoSigmaSquared() {
        let sd = 2.0.squareRoot()
        assertQuantiles(draws(SymmetricAlphaStableNoise(alpha: 2, sigma: 1), seed: 5), [
            (0.9, 1.2815516 * sd, normalDensity(1.2815516 * sd, sigma: sd)),
            (0.975, 1.9599640 * sd, normalDensity(1.9599640 * sd, sigma: sd)),
        ])
    }

    func testAlphaStableWithAlphaOneIsCauchy() {
        let cauchy = CauchyNoise(sigma: 1)
        func density(_ x: Double) -> Double { 1 / (Double.pi * (1 + x * x)) }
        assertQuantiles(draws(SymmetricAlphaStableNoise(alpha: 1), seed: 6), [0.75, 0.95].map { ($0, cauchy.quantile($0), density(cauchy.quantile($0))) })
    }

    func testAlphaStableTailFollowsItsAsymptoticConstant() {
        // P(|X| > x) ≈ 2·C_α·x^{−α}, C_α = Γ(α)·sin(πα/2)/π (Samorodnitsky & Taqqu, Prop. 1.2.15). At α = 1.5,
        // x = 50: 2C_α·x^{−α} = 1.1284·10⁻³, i.e. ≈ 226 of 200 000 draws (Poisson sd ≈ 15) and the
        // next term of the expansion is below 1 %. 5 sd (33 %) still catches a wrong α: α = 1.4 gives +60 %.
        let alpha = 1.5
        let sample = draws(SymmetricAlphaStableNoise(alpha: alpha), seed: 7)
        let x = 50.0
        let expected = 2 * Foundation.tgamma(alpha) * Foundation.sin(Double.pi * alpha / 2) / Double.pi * Foundation.pow(x, -alpha) * Double(n)
        let observed = Double(sample.filter { abs($0) > x }.count)
        XCTAssertEqual(observed, expected, accuracy: 5 * expected.squareRoot())
        XCTAssertEqual(Quantiles.of(sample, 0.5), 0, accuracy: 0.02)
    }

    func testSymmetricParetoQuantiles() {
        let model = SymmetricParetoNoise(alpha: 1.5, sigma: 1)
        // Density of ξ: ½·α/σ·(1 + |x|/σ)^{−α−1}.
        func density(_ x: Double) -> Double { 0.5 * 1.5 * Foundation.pow(1 + abs(x), -2.5) }
        assertQuantiles(draws(model, seed: 8), [0.1, 0.75, 0.99].map { ($0, model.quantile($0), density(model.quantile($0))) })
    }

    func testTailIndicesAreDocumented() {
        XCTAssertEqual(GaussianNoise(sigma: 1).tailIndex, .infinity)
        XCTAssertEqual(StudentTNoise(nu: 3).tailIndex, 3)
        XCTAssertEqual(SymmetricAlphaStableNoise(alpha: 1.2).tailIndex, 1.2)
        XCTAssertEqual(SymmetricAlphaStableNoise(alpha: 2).tailIndex, .infinity)
        XCTAssertEqual(CauchyNoise().tailIndex, 1)
        XCTAssertEqual(SymmetricParetoNoise(alpha: 1.7).tailIndex, 1.7)
    }

    func testAddingNoiseToAGradientIsReproducible() {
        var a = [Float](repeating: 1, count: 16), b = a
        var r1 = RNG(seed: 9).stream("noise", 3), r2 = RNG(seed: 9).stream("noise", 3)
        a.withUnsafeMutableBufferPointer { StudentTNoise(nu: 1.5).add(to: $0, rng: &r1) }
        b.withUnsafeMutableBufferPointer { StudentTNoise(nu: 1.5).add(to: $0, rng: &r2) }
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, [Float](repeating: 1, count: 16))
    }

    func testSpecOutOfRangeIsAnErrorNotATrap() {
        XCTAssertThrowsError(try NoiseSpec(kind: .alphaStable, tail: 2.5).make()) {
            XCTAssertEqual("\($0)", "noise 'alpha-stable': tail must lie in (0, 2], got 2.5")
        }
        XCTAssertThrowsError(try NoiseSpec(kind: .gaussian, sigma: -1).make()) {
            XCTAssertEqual("\($0)", "noise 'gaussian': sigma must be a positive number, got -1.0")
        }
        XCTAssertThrowsError(try NoiseSpec(kind: .studentT, tail: .nan).make())
        XCTAssertNoThrow(try NoiseSpec(kind: .alphaStable, tail: 2).make())
    }
}
