import XCTest
@testable import Engine

final class QuadraticTests: XCTestCase {
    func testValueAndGradientMatchTheFormula() {
        let q = Quadratic(eigenvalues: [1, 4], minimiser: [1, 0])
        var g: [Float] = [0, 0]
        let x: [Float] = [3, -1]
        x.withUnsafeBufferPointer { xp in
            // f = ½(1·2² + 4·1²) = 4, ∇f = (1·2, 4·(−1)).
            XCTAssertEqual(q.value(xp), 4)
            g.withUnsafeMutableBufferPointer { q.gradient(xp, into: $0) }
        }
        XCTAssertEqual(g, [2, -4])
    }

    func testProgressIsGapAndGradientNorm() {
        let q = Quadratic(eigenvalues: [1, 4], minimiser: [1, 0])
        var scratch: [Float] = [0, 0]
        // Same point as above: f − f* = 4, ‖∇f‖ = ‖(2, −4)‖ = √20.
        let (gap, gradNorm) = q.progress(at: Tensor(shape: [2], [3, -1]), scratch: &scratch)
        XCTAssertEqual(gap, 4)
        XCTAssertEqual(gradNorm, 20.0.squareRoot(), accuracy: 1e-6)
        XCTAssertEqual(scratch, [2, -4])
    }

    func testSpectrumSpansMuToL() {
        let q = Quadratic(dimension: 3, mu: 1, l: 100)
        XCTAssertEqual(q.eigenvalues[0], 1, accuracy: 1e-5)
        XCTAssertEqual(q.eigenvalues[1], 10, accuracy: 1e-4)
        XCTAssertEqual(q.eigenvalues[2], 100, accuracy: 1e-3)
    }

    func testMinibatchAveragingShrinksTheNoise() {
        // Student-t(ν = 3) has variance 3; the mean of 16 draws has variance 3/16.
        let oracle = NoisyGradientOracle(problem: Quadratic(eigenvalues: [Float](repeating: 1, count: 2000)), noise: StudentTNoise(nu: 3))
        let x = [Float](repeating: 0, count: 2000)
        var g = [Float](repeating: 0, count: 2000)
        var rng = RNG(seed: 1)
        x.withUnsafeBufferPointer { xp in g.withUnsafeMutableBufferPointer { oracle.sample(xp, into: $0, batch: 16, rng: &rng) } }
        let variance = g.reduce(0) { $0 + Double($1 * $1) } / 2000
        XCTAssertEqual(variance, 3.0 / 16, accuracy: 0.06)
    }

    func testOptimizerSpecBuildsTheNamedMethodAndRejectsMissingParameters() throws {
        let spec = OptimizerSpec(method: .clipRAdagradD, lr: 1, clip: 1, eta: 0.5, b0: 2)
        var optimizer = try spec.make()
        let store = ParameterStore(vector: Tensor(shape: [2], [1, 1]))
        store.grads = Tensor(shape: [2], [3, 4])
        optimizer.step(store)
        XCTAssertEqual(store.values.scalars, [0.7, 0.6])
        XCTAssertThrowsError(try OptimizerSpec(method: "clip-sgd", lr: 1).make()) { error in
            XCTAssertTrue("\(error)".contains("'clip'"), "\(error)")
        }
    }
}
