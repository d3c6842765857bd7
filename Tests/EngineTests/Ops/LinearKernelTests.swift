import XCTest
@testable import Engine

final class LinearKernelTests: XCTestCase {
    func testLinearGradientMatchesFiniteDifferences() {
        var rng = RNG(seed: 21)
        let inputs = [Tensor.normal([2, 3, 5], rng: &rng), Tensor.normal([5, 4], rng: &rng), Tensor.normal([4], rng: &rng)]
        let r = GradientCheck().check(inputs: inputs) { _, v in probeLoss(linear(v[0], weight: v[1], bias: v[2])) }
        assertGradientsMatch(r)
    }

    func testLinearWithActivationGradientMatchesFiniteDifferences() {
        var rng = RNG(seed: 22)
        let inputs = [Tensor.normal([6, 5], rng: &rng), Tensor.normal([5, 4], rng: &rng), Tensor.normal([4], rng: &rng)]
        for check in [{ (v: [Var]) in linear(v[0], weight: v[1], bias: v[2], activation: GELU.self) },
                      { (v: [Var]) in linear(v[0], weight: v[1], bias: v[2], activation: ExactGELU.self) },
                      { (v: [Var]) in linear(v[0], weight: v[1], bias: v[2], activation: SiLU.self) }] {
            assertGradientsMatch(GradientCheck().check(inputs: inputs) { _, v in probeLoss(check(v)) })
        }
    }

    /// The fused ops give the bits of the unfused graph (matmul, broadcast sum, activation), forward
    /// and backward, on shapes large enough for their row blocks to split over threads.
    func testFusedOpsGiveTheBitsOfMatmulSumAndActivation() {
        var rng = RNG(seed: 23)
        let (x, w, b) = (Tensor.normal([4, 96, 64], rng: &rng), Tensor.normal([64, 384], rng: &rng), Tensor.normal([384], rng: &rng))
        func gradients(_ f: ([Var]) -> Var) -> [[Float]] {
            let tape = Tape()
            let v = [x, w, b].map { tape.input($0, requiresGrad: true) }
            let y = f(v)
            tape.backward(probeLoss(y))
            return [y.value.scalars] + v.map { $0.grad?.scalars ?? [] }
        }
        XCTAssertEqual(gradients { linear($0[0], weight: $0[1], bias: $0[2]) },
                       gradients { matmul($0[0], $0[1]) + $0[2] })
        XCTAssertEqual(gradients { linear($0[0], weight: $0[1], bias: $0[2], activation: GELU.self) },
                       gradients { (matmul($0[0], $0[1]) + $0[2]).gelu() })
        XCTAssertEqual(gradients { linear($0[0], weight: $0[1], bias: $0[2], activation: ExactGELU.self) },
                       gradients { (matmul($0[0], $0[1]) + $0[2]).exactGELU() })
        XCTAssertEqual(gradients { linear($0[0], weight: $0[1], bias: nil, activation: ReLU.self) }.dropLast(),
                       gradients { matmul($0[0], $0[1]).relu() }.dropLast())
    }
}
