import XCTest
@testable import Engine

final class DropoutTests: XCTestCase {
    func testEvaluationIsIdentity() {
        let tape = Tape()
        let x = tape.input(Tensor(shape: [4], [1, 2, 3, 4]))
        XCTAssertEqual(Dropout("d", rate: 0.5)(x, mode: .evaluation).value, x.value)
    }

    func testTrainingKeepsAboutOneMinusRateAndRescales() {
        let tape = Tape()
        let n = 10_000, p: Float = 0.3
        let x = tape.input(Tensor(shape: [n], repeating: 2))
        let y = Dropout("d", rate: p)(x, mode: .training(rng: RNG(seed: 12))).value.scalars
        let kept = y.filter { $0 != 0 }
        for value in kept { XCTAssertEqual(value, 2 / (1 - p), accuracy: 1e-6) }
        // Binomial(10 000, 0.7) has standard deviation ≈ 46: 300 is beyond six of them.
        XCTAssertEqual(Double(kept.count), Double(n) * 0.7, accuracy: 300)
    }

    func testMaskDependsOnlyOnStreamAndSite() {
        let tape = Tape()
        let x = tape.input(Tensor(shape: [64], repeating: 1))
        let run = RNG(seed: 13)
        let a = Dropout("a", rate: 0.5)(x, mode: .training(rng: run.stream("dropout", 1))).value
        XCTAssertEqual(a, Dropout("a", rate: 0.5)(x, mode: .training(rng: run.stream("dropout", 1))).value)
        XCTAssertNotEqual(a, Dropout("a", rate: 0.5)(x, mode: .training(rng: run.stream("dropout", 2))).value)
        XCTAssertNotEqual(a, Dropout("b", rate: 0.5)(x, mode: .training(rng: run.stream("dropout", 1))).value)
    }

    func testGradientMatchesFiniteDifferences() {
        var rng = RNG(seed: 14)
        let x = Tensor.normal([3, 7], rng: &rng)
        let r = GradientCheck().check(inputs: [x]) { _, v in
            var maskRNG = RNG(seed: 15)
            return probeLoss(dropout(v[0], rate: 0.4, rng: &maskRNG))
        }
        assertGradientsMatch(r)
    }
}
