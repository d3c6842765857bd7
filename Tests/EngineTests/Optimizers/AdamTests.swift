import XCTest
@testable import Engine

final class AdamTests: XCTestCase {
    func testTwoStepsMatchTheBiasCorrectedRule() {
        // t=1: m̂ = g, v̂ = g², so x₁ = 1 − 0.1·2/2 = 0.9.
        // t=2: m = 0.9·0.2 − 0.1 = 0.08, m̂ = 0.08/0.19 = 0.4210526;
        //      v = 0.999·0.004 + 0.001 = 0.004996, v̂ = 0.004996/0.001999 = 2.4992496;
        //      x₂ = 0.9 − 0.1·0.4210526/1.5809016 = 0.8733663.
        var adam = Adam(learningRate: 0.1)
        assertClose(iterate(&adam, from: [1], gradients: [[2], [-1]]), [0.8733663])
    }

    func testDelayedAdamUsesTheSecondMomentBeforeTheCurrentGradient() {
        // v₀ = b₀² = 1: x₁ = 1 − 0.1·m̂₁/√v₀ = 1 − 0.1·2/1 = 0.8, where plain Adam gives 0.9.
        var delayed = Adam(learningRate: 0.1, delayed: true, b0: 1)
        assertClose(iterate(&delayed, from: [1], gradients: [[2]]), [0.8])
        // t=2: v₁ = 0.999·1 + 0.001·4 = 1.003, m̂₂ = 0.4210526 → x₂ = 0.8 − 0.1·0.4210526/√1.003 = 0.7579581.
        assertClose(iterate(&delayed, from: [0.8], gradients: [[-1]]), [0.7579581])
    }

    func testAdamWDecaysWeightsOutsideTheAdaptiveStep() {
        // x₁ = 1 − 0.1·(2/2 + 0.5·1) = 0.85.
        var adamw = AdamW(learningRate: 0.1, weightDecay: 0.5)
        assertClose(iterate(&adamw, from: [1], gradients: [[2]]), [0.85])
    }

    func testRMSPropDividesByTheRootMeanSquare() {
        // v = 0.1·4 = 0.4, x = 1 − 0.1·2/√0.4 = 0.6837722.
        var rms = RMSProp(learningRate: 0.1, rho: 0.9)
        assertClose(iterate(&rms, from: [1], gradients: [[2]]), [0.6837722])
    }
}
