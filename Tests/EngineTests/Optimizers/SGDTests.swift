import XCTest
@testable import Engine

final class SGDTests: XCTestCase {
    func testPlainStepIsGammaTimesGradient() {
        var sgd = SGD(learningRate: 0.1)
        assertClose(iterate(&sgd, from: [1, -2], gradients: [[0.5, 1]]), [0.95, -2.1])
    }

    func testHeavyBallMomentumAccumulatesPastGradients() {
        // m₁ = (1, 0), x₁ = (0.9, −2); m₂ = 0.9·m₁ + (1, 1) = (1.9, 1), x₂ = (0.71, −2.1).
        var sgd = SGD(learningRate: 0.1, momentum: 0.9)
        assertClose(iterate(&sgd, from: [1, -2], gradients: [[1, 0], [1, 1]]), [0.71, -2.1])
    }

    func testWeightDecayAddsToTheGradient() {
        var sgd = SGD(learningRate: 0.1, weightDecay: 0.5)
        assertClose(iterate(&sgd, from: [1], gradients: [[0]]), [0.95])
    }

    func testNormClippingRescalesTheWholeGradient() {
        // ‖(3, 4)‖ = 5 > λ = 1: clip(g) = (0.6, 0.8).
        var clipped = Clipped(SGD(learningRate: 0.1), clipping: .norm(1))
        assertClose(iterate(&clipped, from: [1, 1], gradients: [[3, 4]]), [0.94, 0.92])
        XCTAssertEqual(clipped.lastGradientNorm, 5, accuracy: 1e-6)
    }

    func testPerTensorClippingRescalesEachTensorOnItsOwn() {
        // Tensors a = (3, 4) (norm 5 > λ = 1 → (0.6, 0.8)) and b = (0.3,) (below λ, kept);
        // whole-vector clipping would have scaled b too, by 1/‖(3, 4, 0.3)‖.
        var builder = ParameterBuilder(rng: RNG(seed: 0))
        _ = builder.add("a", shape: [2], .zeros)
        _ = builder.add("b", shape: [1], .zeros)
        let store = builder.build()
        store.grads = Tensor(shape: [3], [3, 4, 0.3])
        var clipped = Clipped(SGD(learningRate: 1), clipping: .normPerTensor(1))
        clipped.step(store)
        assertClose(store.values.scalars, [-0.6, -0.8, -0.3])
        XCTAssertEqual(clipped.lastGradientNorm, (25 + 0.09 as Float).squareRoot(), accuracy: 1e-5)
    }

    func testCoordinateClippingCapsEachEntry() {
        var clipped = Clipped(SGD(learningRate: 0.1), clipping: .coordinate(1))
        assertClose(iterate(&clipped, from: [1, 1, 1], gradients: [[3, -4, 0.5]]), [0.9, 1.1, 0.95])
    }

    func testClippingDoesNothingBelowTheLevel() {
        var clipped = Clipped(SGD(learningRate: 0.1), clipping: .norm(10))
        var plain = SGD(learningRate: 0.1)
        XCTAssertEqual(iterate(&clipped, from: [1, 1], gradients: [[3, 4]]), iterate(&plain, from: [1, 1], gradients: [[3, 4]]))
    }
}
