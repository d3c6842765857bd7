import XCTest
@testable import Engine

/// Finite-difference checks for the core ops in Ops/Activations, Arithmetic, MatMul, Reductions
/// and Losses (their backward passes are hand-written too).
final class ElementwiseAndMatMulGradientTests: XCTestCase {
    func checkUnary(_ op: @escaping (Var) -> Var, seed: UInt64, file: StaticString = #filePath, line: UInt = #line) {
        var rng = RNG(seed: seed)
        let x = awayFromZero([4, 5], rng: &rng)
        assertGradientsMatch(GradientCheck().check(inputs: [x]) { _, v in probeLoss(op(v[0])) }, file: file, line: line)
    }

    func testReluGradientAwayFromKink() { checkUnary({ $0.relu() }, seed: 30) }
    func testGeluGradient() { checkUnary({ $0.gelu() }, seed: 31) }
    func testExactGeluGradient() { checkUnary({ $0.exactGELU() }, seed: 41) }
    func testSiluGradient() { checkUnary({ $0.silu() }, seed: 32) }
    func testTanhGradient() { checkUnary({ $0.tanh() }, seed: 33) }
    func testSoftplusGradient() { checkUnary({ $0.softplus() }, seed: 34) }
    func testSigmoidGradient() { checkUnary({ $0.sigmoid() }, seed: 35) }
    func testExpGradient() { checkUnary({ $0.exp() }, seed: 36) }
    func testSquareGradient() { checkUnary({ $0.square() }, seed: 37) }
    func testLogGradientOnPositiveInputs() { checkUnary({ ($0.square() + 0.5).log() }, seed: 38) }

    func testBroadcastAddAndMultiplyGradients() {
        var rng = RNG(seed: 39)
        let a = Tensor.normal([2, 3, 4], rng: &rng), b = Tensor.normal([3, 4], rng: &rng), c = Tensor.normal([4], rng: &rng)
        let r = GradientCheck().check(inputs: [a, b, c]) { _, v in
            probeLoss((v[0] + v[1]) * v[2] - v[1] * v[0] + (v[2] * 3 + 1))
        }
        assertGradientsMatch(r)
    }

    func testMatmulGradientsForEveryTransposeAndBatchLayout() {
        var rng = RNG(seed: 40)
        for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
            let a = Tensor.normal(ta ? [2, 4, 3] : [2, 3, 4], rng: &rng)
            let b = Tensor.normal(tb ? [2, 5, 4] : [2, 4, 5], rng: &rng)
            let r = GradientCheck().check(inputs: [a, b]) { _, v in probeLoss(matmul(v[0], v[1], transposeA: ta, transposeB: tb)) }
            assertGradientsMatch(r)
        }
        for tb in [false, true] {
            let a = Tensor.normal([2, 3, 4], rng: &rng), b = Tensor.normal(tb ? [5, 4] : [4, 5], rng: &rng)
            let r = GradientCheck().check(inputs: [a, b]) { _, v in probeLoss(matmul(v[0], v[1], transposeB: tb)) }
            assertGradientsMatch(r)
        }
    }

    func testReductionGradients() {
        var rng = RNG(seed: 41)
        let x = Tensor.normal([3, 4], rng: &rng)
        let r = GradientCheck().check(inputs: [x]) { _, v in probeLoss(v[0].sumLastAxis()) + v[0].square().mean() }
        assertGradientsMatch(r)
    }

    func testSoftmaxCrossEntropyGradientWithIgnoredRow() {
        var rng = RNG(seed: 42)
        let logits = Tensor.normal([2, 3, 5], std: 2, rng: &rng)
        let r = GradientCheck().check(inputs: [logits]) { _, v in
            softmaxCrossEntropy(v[0], targets: [1, 0, 4, 2, -1, 3], ignoreIndex: -1) * 5
        }
        assertGradientsMatch(r)
    }

    func testMeanSquaredErrorGradient() {
        var rng = RNG(seed: 43)
        let p = Tensor.normal([4, 3], rng: &rng), target = Tensor.normal([4, 3], rng: &rng)
        let r = GradientCheck().check(inputs: [p]) { _, v in meanSquaredError(v[0], target) * 6 }
        assertGradientsMatch(r)
    }
}
