import XCTest
@testable import Engine

final class UniversalSGDTests: XCTestCase {
    func testFirstStepsFollowTheCurvatureEstimate() {
        // f(x) = (x₁ − 1)² + 2x₂², ∇f = (2x₁ − 2, 4x₂), x₀ = (0, 1), D = 1, by hand:
        // g₀ = (−2, 4), H₀ = 0: x₁ = x₀ − D·g₀/‖g₀‖ = (0.4472136, 0.1055728).
        // g₁ = (−1.1055728, 0.4222912), Δ = (0.4472136, −0.8944272), r² = 1, β = ⟨g₁ − g₀, Δ⟩ = 0.4 + 3.2 = 3.6,
        //   H₁ = [3.6 − 0]₊/(1 + 1/2) = 2.4,  x₂ = x₁ − g₁/2.4 = (0.9078689, −0.0703819).
        // g₂ = (−0.1842621, −0.2815275), r² = 0.2431622, β = 0.5482475, H₂ = 2.4 + (β − 1.2·r²)/(1 + r²/2) = 2.6286510,
        //   x₃ = x₂ − g₂/H₂ = (0.9779665, 0.0367177).
        var method = UniversalSGD(radius: 1)
        let store = ParameterStore(vector: Tensor(shape: [2], [0, 1]))
        func gradient() -> Tensor {
            let x = store.values.scalars
            return Tensor(shape: [2], [2 * x[0] - 2, 4 * x[1]])
        }
        let expected: [(h: Double, x: [Float])] = [(0, [0.4472136, 0.1055728]), (2.4, [0.9078689, -0.0703819]), (2.6286510, [0.9779665, 0.0367177])]
        for (k, step) in expected.enumerated() {
            store.grads = gradient()
            method.step(store)
            XCTAssertEqual(method.h, step.h, accuracy: 1e-5, "H after step \(k)")
            assertClose(store.values.scalars, step.x)
        }
    }

    func testNoCurvatureKeepsStepsOfLengthD() {
        // A constant gradient never changes along the step, so β = 0 and H stays 0: every step has length γ·D.
        var method = UniversalSGD(learningRate: 0.5, radius: 2)
        assertClose(iterate(&method, from: [0, 0], gradients: [[3, 4], [3, 4]]), [-1.2, -1.6])
        XCTAssertEqual(method.h, 0)
    }

    func testSpecBuildsItAndNeedsTheRadius() throws {
        XCTAssertNoThrow(try OptimizerSpec(method: .universalSGD, lr: 1, radius: 1).make())
        XCTAssertThrowsError(try OptimizerSpec(method: .universalSGD, lr: 1).make()) { error in
            XCTAssertTrue("\(error)".contains("radius"), "\(error)")
        }
    }

    func testSpecHyperParametersOutOfRangeAreErrorsNotTraps() {
        let cases: [(OptimizerSpec, String)] = [
            (OptimizerSpec(method: .clipRAdagradD, lr: 0.5, clip: 0.5, eta: 0.25, b0: -0.5), "optimizer 'clip-radagradd': b0 must be a positive number, got -0.5"),
            (OptimizerSpec(method: .adam, lr: 1e-3, beta: 1), "optimizer 'adam': beta must be in [0, 1), got 1.0"),
            (OptimizerSpec(method: .sgd, lr: .nan), "optimizer 'sgd': lr must be a positive number, got nan"),
            (OptimizerSpec(method: .adamw, lr: 1e-3, weightDecay: -.infinity), "optimizer 'adamw': weightDecay must be a number ≥ 0, got -inf"),
            (OptimizerSpec(method: .universalSGD, lr: 1, radius: 0), "optimizer 'usgm': radius must be a positive number, got 0.0"),
        ]
        for (spec, message) in cases {
            XCTAssertThrowsError(try spec.make()) { XCTAssertEqual("\($0)", message) }
        }
    }
}
