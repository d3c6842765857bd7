import XCTest
@testable import Engine

final class NormalizationTests: XCTestCase {
    func testLayerNormRowsHaveZeroMeanUnitVarianceBeforeAffine() {
        let tape = Tape()
        let x = tape.input(Tensor(shape: [2, 4], [1, 2, 3, 4, -2, 0, 2, 8]))
        let y = layerNorm(x, gain: tape.input(Tensor(shape: [4], repeating: 1)),
                          bias: tape.input(Tensor(shape: [4], repeating: 0)), eps: 0)
        // Row 1: mean 2.5, variance 1.25.
        let s = 1 / Float(1.25).squareRoot()
        assertClose(y.value.reshaped([8]).window(offset: 0, shape: [4]), [-1.5 * s, -0.5 * s, 0.5 * s, 1.5 * s])
    }

    func testLayerNormGradientMatchesFiniteDifferences() {
        var rng = RNG(seed: 4)
        let x = Tensor.normal([3, 2, 5], rng: &rng), g = Tensor.normal([5], rng: &rng), b = Tensor.normal([5], rng: &rng)
        let r = GradientCheck().check(inputs: [x, g, b]) { _, v in probeLoss(layerNorm(v[0], gain: v[1], bias: v[2])) }
        assertGradientsMatch(r)
    }

    func testRMSNormScalesByRootMeanSquare() {
        let tape = Tape()
        let x = tape.input(Tensor(shape: [1, 2], [3, 4]))
        let y = rmsNorm(x, gain: tape.input(Tensor(shape: [2], [1, 2])), eps: 0)
        // rms = √((9 + 16)/2) = √12.5.
        let r = Float(12.5).squareRoot()
        assertClose(y.value, [3 / r, 8 / r])
    }

    func testRMSNormGradientMatchesFiniteDifferences() {
        var rng = RNG(seed: 5)
        let x = Tensor.normal([4, 6], rng: &rng), g = Tensor.normal([6], rng: &rng)
        let r = GradientCheck().check(inputs: [x, g]) { _, v in probeLoss(rmsNorm(v[0], gain: v[1])) }
        assertGradientsMatch(r)
    }
}
