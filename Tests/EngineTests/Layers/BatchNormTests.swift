import XCTest
@testable import Engine

final class BatchNormTests: XCTestCase {
    /// [N=2, C=2, H=1, W=2]: channel 0 holds 1, 3, 5, 7 (mean 4, biased variance 5), channel 1
    /// holds 0, 2, 2, 0 (mean 1, biased variance 1).
    let batch = Tensor(shape: [2, 2, 1, 2], [1, 3, 0, 2,
                                             5, 7, 2, 0])

    func testTrainingNormalisesWithBatchMeanAndBiasedVariance() {
        let tape = Tape()
        let (y, mean, variance) = batchNorm(tape.input(batch), gain: tape.input(Tensor(shape: [2], [2, -1])),
                                            bias: tape.input(Tensor(shape: [2], [0.5, 1])), eps: 0)
        assertClose(mean, [4, 1])
        assertClose(variance, [5, 1])
        // Channel 0: 2·(x − 4)/√5 + 0.5; channel 1: −(x − 1) + 1.
        let s = 1 / Float(5).squareRoot()
        assertClose(y.value, [0.5 - 6 * s, 0.5 - 2 * s, 2, 0,
                              0.5 + 2 * s, 0.5 + 6 * s, 0, 2])
    }

    func testRankTwoInputNormalisesEachColumnOverTheBatch() {
        let tape = Tape()
        let (gain, bias) = (tape.input(Tensor(shape: [2], [2, -1])), tape.input(Tensor(shape: [2], [0.5, 1])))
        // The same four values per channel as `batch`, as rows of [N=4, C=2].
        let rows = Tensor(shape: [4, 2], [1, 0, 3, 2, 5, 2, 7, 0])
        let (y, mean, variance) = batchNorm(tape.input(rows), gain: gain, bias: bias, eps: 0)
        assertClose(mean, [4, 1])
        assertClose(variance, [5, 1])
        let planes = batchNorm(tape.input(rows.reshaped([4, 2, 1, 1])), gain: gain, bias: bias, eps: 0).output
        XCTAssertEqual(y.value, planes.value.reshaped([4, 2]))
    }

    func testEvaluationIsTheAffineMapOfTheGivenStatistics() {
        let tape = Tape()
        let x = tape.input(Tensor(shape: [1, 2, 1, 2], [1, 3, 0, 2]))
        let y = batchNorm(x, gain: tape.input(Tensor(shape: [2], [2, 1])), bias: tape.input(Tensor(shape: [2], [0, 1])),
                          mean: Tensor(shape: [2], [1, -1]), variance: Tensor(shape: [2], [4, 0.25]), eps: 0)
        // Channel 0: 2·(x − 1)/2; channel 1: (x + 1)/0.5 + 1.
        assertClose(y.value, [0, 2, 3, 7])
    }

    func testTrainingGradientMatchesFiniteDifferences() {
        // 15 values per plane: both the eight-lane loops and their scalar tails are exercised.
        var rng = RNG(seed: 120)
        let x = Tensor.normal([3, 2, 3, 5], rng: &rng), g = Tensor.normal([2], rng: &rng), b = Tensor.normal([2], rng: &rng)
        let r = GradientCheck().check(inputs: [x, g, b]) { _, v in probeLoss(batchNorm(v[0], gain: v[1], bias: v[2]).output) }
        assertGradientsMatch(r)
    }

    /// The ReLU inside the training op gives the output and the gradients of batchNorm followed by
    /// relu (each checked by finite differences on its own), bit for bit.
    func testTrainingWithReLUHasTheBitsOfBatchNormThenReLU() {
        var rng = RNG(seed: 122)
        let x = Tensor.normal([3, 2, 3, 5], rng: &rng), seed = Tensor.normal([3, 2, 3, 5], rng: &rng)
        let (g, b) = (Tensor.normal([2], rng: &rng), Tensor.normal([2], rng: &rng))
        func run(fused: Bool) -> [Tensor] {
            let tape = Tape()
            let (xv, gv, bv) = (tape.input(x, requiresGrad: true), tape.input(g, requiresGrad: true), tape.input(b, requiresGrad: true))
            let y = fused ? batchNorm(xv, gain: gv, bias: bv, relu: true).output : batchNorm(xv, gain: gv, bias: bv).output.relu()
            tape.backward(y, seed: seed)
            return [y.value, xv.grad!, gv.grad!, bv.grad!]
        }
        let (fused, separate) = (run(fused: true), run(fused: false))
        XCTAssertTrue(fused[0].scalars.contains(0) && fused[0].scalars.contains { $0 > 0 })
        for (a, b) in zip(fused, separate) { XCTAssertEqual(a.scalars.map(\.bitPattern), b.scalars.map(\.bitPattern)) }
    }

    /// A residual added inside the training op (with and without the ReLU) gives the output and the
    /// gradients of batchNorm, then +, then relu as separate ops, bit for bit.
    func testTrainingWithResidualHasTheBitsOfBatchNormPlusResidualThenReLU() {
        var rng = RNG(seed: 130)
        let x = Tensor.normal([3, 2, 3, 5], rng: &rng), skip = Tensor.normal([3, 2, 3, 5], rng: &rng)
        let seed = Tensor.normal([3, 2, 3, 5], rng: &rng), (g, b) = (Tensor.normal([2], rng: &rng), Tensor.normal([2], rng: &rng))
        for relu in [true, false] {
            func run(fused: Bool) -> [Tensor] {
                let tape = Tape()
                let (xv, gv, bv) = (tape.input(x, requiresGrad: true), tape.input(g, requiresGrad: true), tape.input(b, requiresGrad: true))
                let rv = tape.input(skip, requiresGrad: true)
                let y: Var
                if fused {
                    y = batchNorm(xv, gain: gv, bias: bv, adding: rv, relu: relu).output
                } else {
                    let sum = batchNorm(xv, gain: gv, bias: bv).output + rv
                    y = relu ? sum.relu() : sum
                }
                tape.backward(y, seed: seed)
                return [y.value, xv.grad!, gv.grad!, bv.grad!, rv.grad!]
            }
            let (fused, separate) = (run(fused: true), run(fused: false))
            if relu { XCTAssertTrue(fused[0].scalars.contains(0) && fused[0].scalars.contains { $0 > 0 }) }
            for (a, b) in zip(fused, separate) {
                XCTAssertEqual(a.scalars.map(\.bitPattern), b.scalars.map(\.bitPattern), "relu \(relu)")
            }
        }
    }

    /// The residual's gradient alone (x a constant) is the ReLU-masked output gradient.
    func testResidualGradientWithoutInputGradientIsTheMaskedOutputGradient() {
        var rng = RNG(seed: 131)
        let x = Tensor.normal([2, 2, 2, 3], rng: &rng), skip = Tensor.normal([2, 2, 2, 3], rng: &rng)
        let seed = Tensor.normal([2, 2, 2, 3], rng: &rng)
        let tape = Tape()
        let rv = tape.input(skip, requiresGrad: true)
        let y = batchNorm(tape.input(x), gain: tape.input(Tensor(shape: [2], [1, -2])), bias: tape.input(Tensor(zeros: [2])),
                          adding: rv, relu: true).output
        tape.backward(y, seed: seed)
        let expected = zip(y.value.scalars, seed.scalars).map { $0 > 0 ? $1 : 0 }
        XCTAssertTrue(expected.contains(0) && expected.contains { $0 != 0 })
        XCTAssertEqual(rv.grad!.scalars, expected)
    }

    func testTrainingWithResidualAndReLUGradientMatchesFiniteDifferences() {
        var rng = RNG(seed: 132)
        let x = Tensor.normal([3, 2, 3, 5], rng: &rng), skip = Tensor.normal([3, 2, 3, 5], rng: &rng)
        let g = Tensor.normal([2], rng: &rng), b = Tensor.normal([2], rng: &rng)
        let r = GradientCheck().check(inputs: [x, g, b, skip]) { _, v in
            probeLoss(batchNorm(v[0], gain: v[1], bias: v[2], adding: v[3], relu: true).output)
        }
        assertGradientsMatch(r)
    }

    func testTrainingGradientOfShiftedInputMatchesFiniteDifferences() {
        // A mean far from zero relative to the spread: the two-pass variance must not cancel.
        var rng = RNG(seed: 121)
        let x = Tensor.normal([4, 3, 2, 2], mean: 20, std: 2, rng: &rng)
        let g = Tensor.normal([3], rng: &rng), b = Tensor.normal([3], rng: &rng)
        let r = GradientCheck().check(inputs: [x, g, b]) { _, v in probeLoss(batchNorm(v[0], gain: v[1], bias: v[2]).output) }
        assertGradientsMatch(r)
    }

    func testRankTwoTrainingGradientMatchesFiniteDifferences() {
        var rng = RNG(seed: 122)
        let x = Tensor.normal([5, 3], rng: &rng), g = Tensor.normal([3], rng: &rng), b = Tensor.normal([3], rng: &rng)
        let r = GradientCheck().check(inputs: [x, g, b]) { _, v in probeLoss(batchNorm(v[0], gain: v[1], bias: v[2]).output) }
        assertGradientsMatch(r)
    }

    func testEvaluationGradientMatchesFiniteDifferences() {
        var rng = RNG(seed: 123)
        let x = Tensor.normal([2, 3, 3, 3], rng: &rng), g = Tensor.normal([3], rng: &rng), b = Tensor.normal([3], rng: &rng)
        let mean = Tensor.normal([3], rng: &rng), variance = Tensor.uniform([3], 0.5, 2, rng: &rng)
        let r = GradientCheck().check(inputs: [x, g, b]) { _, v in
            probeLoss(batchNorm(v[0], gain: v[1], bias: v[2], mean: mean, variance: variance))
        }
        assertGradientsMatch(r)
    }

    func testRunningStatisticsFollowPyTorchMomentumRule() {
        var builder = ParameterBuilder(rng: RNG(seed: 124))
        let norm = BatchNorm2d("bn", 2, builder: &builder)
        let store = builder.build()
        let tape = Tape(parameters: store)
        // r ← 0.9·r + 0.1·b from mean 0 and variance 1, with the unbiased batch variances
        // 5·4/3 = 20/3 and 1·4/3 = 4/3 (four values per channel).
        _ = norm(tape.input(batch), mode: .training(rng: RNG(seed: 0)))
        assertClose(norm.statistics.mean, [0.4, 0.1])
        assertClose(norm.statistics.variance, [0.9 + 2 / 3.0, 0.9 + 0.4 / 3.0])
        _ = norm(tape.input(batch), mode: .training(rng: RNG(seed: 1)))
        assertClose(norm.statistics.mean, [0.76, 0.19])
        assertClose(norm.statistics.variance, [0.9 * (0.9 + 2 / 3.0) + 2 / 3.0, 0.9 * (0.9 + 0.4 / 3.0) + 0.4 / 3.0])
    }

    func testEvaluationUsesRunningStatisticsAndLeavesThemUnchanged() {
        var builder = ParameterBuilder(rng: RNG(seed: 125))
        let norm = BatchNorm2d("bn", 2, builder: &builder)
        let store = builder.build()
        store.values = Tensor(shape: [4], [2, -1, 0.5, 1])
        norm.statistics.mean = Tensor(shape: [2], [3, 0])
        norm.statistics.variance = Tensor(shape: [2], [2, 0.5])
        let tape = Tape(parameters: store, recording: false)
        let y = norm(tape.input(batch), mode: .evaluation)
        let x = batch.scalars
        let expected = x.indices.map { i -> Float in
            let c = (i / 2) % 2
            let (m, v, g, b): (Float, Float, Float, Float) = c == 0 ? (3, 2, 2, 0.5) : (0, 0.5, -1, 1)
            return g * (x[i] - m) / (v + 1e-5).squareRoot() + b
        }
        assertClose(y.value, expected)
        XCTAssertEqual(norm.statistics.mean, Tensor(shape: [2], [3, 0]))
        XCTAssertEqual(norm.statistics.variance, Tensor(shape: [2], [2, 0.5]))
    }

    func testRunningStatisticsAreNotParameters() {
        var builder = ParameterBuilder(rng: RNG(seed: 126))
        let norm = BatchNorm2d("bn", 3, builder: &builder)
        let store = builder.build()
        XCTAssertEqual(store.views.map(\.name), ["bn.gain", "bn.bias"])
        XCTAssertEqual(store.values, Tensor(shape: [6], [1, 1, 1, 0, 0, 0]))
        XCTAssertEqual(norm.statistics.mean, Tensor(zeros: [3]))
        XCTAssertEqual(norm.statistics.variance, Tensor(shape: [3], repeating: 1))
    }

    func testLayerGradientMatchesFiniteDifferencesInBothModes() {
        var builder = ParameterBuilder(rng: RNG(seed: 127))
        let norm = BatchNorm2d("bn", 3, builder: &builder)
        let store = builder.build()
        randomize(store, seed: 128)
        var rng = RNG(seed: 129)
        let x = Tensor.normal([2, 3, 2, 3], rng: &rng)
        norm.statistics.mean = Tensor.normal([3], rng: &rng)
        norm.statistics.variance = Tensor.uniform([3], 0.5, 2, rng: &rng)
        for mode in [ForwardMode.training(rng: RNG(seed: 0)), .evaluation] {
            let r = GradientCheck().check(inputs: [x], parameters: store) { _, v in probeLoss(norm(v[0], mode: mode)) }
            assertGradientsMatch(r, store: store)
        }
    }
}
