import XCTest
@testable import Engine

final class CausalDepthwiseConv1dTests: XCTestCase {
    func testMatchesHandComputedCausalSums() {
        // One channel, kernel [w0, w1, w2] = [1, 10, 100], bias 0.5:
        // y_t = 0.5 + 1·x_{t−2} + 10·x_{t−1} + 100·x_t.
        let tape = Tape()
        let x = tape.input(Tensor(shape: [1, 4, 1], [1, 2, 3, 4]))
        let y = causalDepthwiseConv1d(x, weight: tape.input(Tensor(shape: [1, 3], [1, 10, 100])),
                                      bias: tape.input(Tensor(shape: [1], [0.5])))
        XCTAssertEqual(y.value.scalars, [100.5, 210.5, 321.5, 432.5])
    }

    func testOutputAtStepIgnoresLaterInputs() {
        var rng = RNG(seed: 20)
        var x = Tensor.normal([2, 6, 3], rng: &rng)
        let w = Tensor.normal([3, 4], rng: &rng), b = Tensor.normal([3], rng: &rng)
        let tape = Tape()
        let before = causalDepthwiseConv1d(tape.input(x), weight: tape.input(w), bias: tape.input(b)).value
        for c in 0..<3 { x[1, 5, c] += 10 }
        let after = causalDepthwiseConv1d(tape.input(x), weight: tape.input(w), bias: tape.input(b)).value
        for t in 0..<5 { for c in 0..<3 { XCTAssertEqual(before[1, t, c], after[1, t, c]) } }
        XCTAssertNotEqual(before[1, 5, 0], after[1, 5, 0])
    }

    func testGradientMatchesFiniteDifferences() {
        var rng = RNG(seed: 21)
        let x = Tensor.normal([2, 5, 3], rng: &rng), w = Tensor.normal([3, 4], rng: &rng), b = Tensor.normal([3], rng: &rng)
        let r = GradientCheck().check(inputs: [x, w, b]) { _, v in
            probeLoss(causalDepthwiseConv1d(v[0], weight: v[1], bias: v[2]))
        }
        assertGradientsMatch(r)
    }
}
