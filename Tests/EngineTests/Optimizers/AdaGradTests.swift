import XCTest
@testable import Engine

final class AdaGradTests: XCTestCase {
    func testCoordinateAdaGradIncludesTheCurrentGradient() {
        // b² = (1 + 9, 1 + 16): x = (1 − 3/√10, 1 − 4/√17).
        var adagrad = AdaGrad(learningRate: 1, b0: 1)
        assertClose(iterate(&adagrad, from: [1, 1], gradients: [[3, 4]]), [0.0513167, 0.0298575])
    }

    func testDelayedAdaGradUsesThePreviousAccumulator() {
        // The first step divides by b₀ = 1 alone; then b² = (10, 17) and the second step divides by it.
        var delayed = AdaGrad(learningRate: 1, b0: 1, delayed: true)
        assertClose(iterate(&delayed, from: [1, 1], gradients: [[3, 4]]), [-2, -3])
        var twice = AdaGrad(learningRate: 1, b0: 1, delayed: true)
        assertClose(iterate(&twice, from: [1, 1], gradients: [[3, 4], [1, 1]]), [-2 - 1 / 10.0.squareRoot(), -3 - 1 / 17.0.squareRoot()].map(Float.init))
    }

    func testAdaGradNormUsesOneScalarStepSize() {
        // ‖g‖ = 5, b = √26: x = (1 − 3/√26, 1 − 4/√26).
        var norm = AdaGradNorm(learningRate: 1, b0: 1)
        assertClose(iterate(&norm, from: [1, 1], gradients: [[3, 4]]), [0.4116516, 0.2155355])
        XCTAssertEqual(norm.b, Float(26).squareRoot(), accuracy: 1e-5)
        var delayed = AdaGradNorm(learningRate: 1, b0: 1, delayed: true)
        assertClose(iterate(&delayed, from: [1, 1], gradients: [[3, 4]]), [-2, -3])
    }

    func testReweightedAdaGradNormScalesTheAccumulatorIncrementByEta() {
        // η = 0.25, ‖g‖ = 5: b² = 1 + 0.25·25 = 7.25, x = (1, 1) − (3, 4)/√7.25 = (−0.1141720, −0.4855627).
        var reweighted = AdaGradNorm(learningRate: 1, b0: 1, eta: 0.25)
        assertClose(iterate(&reweighted, from: [1, 1], gradients: [[3, 4]]), [-0.1141720, -0.4855627])
        XCTAssertEqual(reweighted.b, Float(7.25).squareRoot(), accuracy: 1e-5)
    }

    func testClippedDelayedAdaGradNormMatchesClipRAdaGradD() throws {
        // Two routes to the same method: Clipped(AdaGrad-NormD, η) and Clip-RAdaGradD.
        let spec = OptimizerSpec(method: "clip-adagrad-normd", lr: 1, clip: 1, eta: 0.5, b0: 2)
        var composed = try spec.make()
        var direct = ClipRAdaGradD(learningRate: 1, clipLevel: 1, eta: 0.5, b0: 2)
        let gradients: [[Float]] = [[3, 4], [0, 0.5], [-2, 1]]
        assertClose(iterate(&composed, from: [1, 1], gradients: gradients), iterate(&direct, from: [1, 1], gradients: gradients))
    }

    func testClipRAdaGradDClipsReweightsAndDelays() {
        // Step 1: ĝ = (0.6, 0.8), x = (1, 1) − ĝ/2 = (0.7, 0.6), b² = 4 + 0.5·1 = 4.5.
        // Step 2: ‖(0, 0.5)‖ < λ so ĝ = g; x₂ = 0.6 − 0.5/√4.5 = 0.3642977, b² = 4.5 + 0.5·0.25 = 4.625.
        var method = ClipRAdaGradD(learningRate: 1, clipLevel: 1, eta: 0.5, b0: 2)
        assertClose(iterate(&method, from: [1, 1], gradients: [[3, 4], [0, 0.5]]), [0.7, 0.3642977])
        XCTAssertEqual(method.b, Float(4.625).squareRoot(), accuracy: 1e-5)
    }

    func testClipRAdaGradDDiffersFromAdaGradDOnALargeGradient() {
        // Unclipped AdaGrad-NormD moves by γ·g/b₀ = (1.5, 2); the clipped one by at most γλ/b₀ = 0.5.
        var clipped = ClipRAdaGradD(learningRate: 1, clipLevel: 1, eta: 1, b0: 2)
        var plain = AdaGradNorm(learningRate: 1, b0: 2, delayed: true)
        assertClose(iterate(&clipped, from: [1, 1], gradients: [[3, 4]]), [0.7, 0.6])
        assertClose(iterate(&plain, from: [1, 1], gradients: [[3, 4]]), [-0.5, -1])
    }

    func testCoordinateWiseClipRAdaGradDKeepsOneAccumulatorPerCoordinate() {
        // ĝ = (0.6, 0.8) (norm clipping), step with b₀ = 2 per coordinate, then b² = (4 + 0.36, 4 + 0.64).
        // Step 2 with g = (0.3, 0): x₁ = 0.7 − 0.3/√4.36 = 0.5563272.
        var method = ClipRAdaGradD(learningRate: 1, clipLevel: 1, eta: 1, b0: 2, coordinateWise: true)
        assertClose(iterate(&method, from: [1, 1], gradients: [[3, 4], [0.3, 0]]), [0.5563272, 0.6])
    }
}
