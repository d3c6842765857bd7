import XCTest
@testable import Engine

final class TapeTests: XCTestCase {
    func testMatmulBiasReluGradientMatchesFiniteDifferences() {
        var rng = RNG(seed: 1)
        let x = Tensor.normal([3, 4], rng: &rng), w = Tensor.normal([4, 5], rng: &rng), b = Tensor.normal([5], rng: &rng)
        let r = GradientCheck().check(inputs: [x, w, b]) { _, v in (matmul(v[0], v[1]) + v[2]).tanh().sum() }
        XCTAssertLessThan(r.maxError, 2e-3, r.description)
    }

    func testParameterGradientsLandInFlatBuffer() {
        var builder = ParameterBuilder(rng: RNG(seed: 2))
        let a = builder.add("a", shape: [2], .constant(3))
        let b = builder.add("b", shape: [2], .constant(5))
        let store = builder.build()
        let tape = Tape(parameters: store)
        tape.backward((tape.param(a) * tape.param(b)).sum())
        XCTAssertEqual(store.grads.scalars, [5, 5, 3, 3])
    }
}
