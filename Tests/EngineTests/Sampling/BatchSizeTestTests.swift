import XCTest
@testable import Engine

final class BatchSizeTestTests: XCTestCase {
    /// Micro-batch gradients of a 2-parameter model: (vector, examples).
    func statistics(_ gradients: [([Float], Int)]) -> (GradientStatistics, [Float]) {
        let store = ParameterStore(vector: Tensor(zeros: [2]))
        var micro = MicroBatchGradients(capacity: 4, dimension: 2)
        for (g, n) in gradients {
            store.grads = Tensor(shape: [2], g)
            micro.add(store, examples: n)
        }
        return (micro.combine(into: store), store.grads.scalars)
    }

    func testStatisticsOfMicroBatchesAlongTheMean() {
        // g₁ = (1, 0), g₂ = (3, 0), one example each: ḡ = (2, 0), ‖ḡ‖² = 4, δ = (∓1, 0):
        // σ̂² = (1 + 1)/1 = 2, Var(∇ℓᵀḡ) = (4 + 4)/1 = 8, nothing orthogonal.
        let (s, mean) = statistics([([1, 0], 1), ([3, 0], 1)])
        XCTAssertEqual(mean, [2, 0])
        XCTAssertEqual(s.examples, 2)
        XCTAssertEqual(s.meanNormSquared, 4, accuracy: 1e-12)
        XCTAssertEqual(s.variance, 2, accuracy: 1e-12)
        XCTAssertEqual(s.innerProductVariance, 8, accuracy: 1e-12)
        XCTAssertEqual(s.orthogonalVariance, 0, accuracy: 1e-12)
    }

    func testStatisticsWeightMicroBatchesByTheirExamples() {
        // g₁ = (2, 1) from 2 examples, g₂ = (2, −2) from 1: ḡ = (2/3)g₁ + (1/3)g₂ = (2, 0); δ₁ = (0, 1), δ₂ = (0, −2):
        // σ̂² = (2·1 + 1·4)/1 = 6, all of it orthogonal to ḡ.
        let (s, mean) = statistics([([2, 1], 2), ([2, -2], 1)])
        assertClose(mean, [2, 0])
        XCTAssertEqual(s.examples, 3)
        XCTAssertEqual(s.variance, 6, accuracy: 1e-6)
        XCTAssertEqual(s.innerProductVariance, 0, accuracy: 1e-6)
        XCTAssertEqual(s.orthogonalVariance, 6, accuracy: 1e-6)
    }

    func testOneMicroBatchGivesNoVarianceAndNoGrowth() {
        let (s, mean) = statistics([([1, 2], 5)])
        XCTAssertEqual(mean, [1, 2])
        XCTAssertTrue(s.variance.isNaN)
        XCTAssertEqual(AdaptiveBatchSize(test: NormTest(theta: 0.1), initial: 8, maximum: 64).proposal(s), 8)
    }

    func testNormTestGrowsTheBatchWhenTheVarianceIsLarge() {
        // Second set: σ̂²/N = 6/3 = 2 against θ²‖ḡ‖² = 4θ². θ = 1 holds (needs 1.5 examples);
        // θ = 0.5 fails and needs σ̂²/(θ²‖ḡ‖²) = 6 examples: twice the 3 held, so 10 sequences → 20.
        let (s, _) = statistics([([2, 1], 2), ([2, -2], 1)])
        XCTAssertEqual(NormTest(theta: 1).requiredExamples(s), 1.5, accuracy: 1e-6)
        XCTAssertEqual(AdaptiveBatchSize(test: NormTest(theta: 1), initial: 10, maximum: 100).proposal(s), 10)
        XCTAssertEqual(NormTest(theta: 0.5).requiredExamples(s), 6, accuracy: 1e-6)
        var adaptive = AdaptiveBatchSize(test: NormTest(theta: 0.5), initial: 10, maximum: 100)
        XCTAssertTrue(adaptive.update(s))
        XCTAssertEqual(adaptive.batch, 20)
        var capped = AdaptiveBatchSize(test: NormTest(theta: 0.5), initial: 10, maximum: 15)
        capped.update(s)
        XCTAssertEqual(capped.batch, 15)
    }

    func testInnerProductTestOnlyDemandsAccuracyAlongTheGradient() {
        // First set: Var(∇ℓᵀḡ)/N = 8/2 = 4 against θ²‖ḡ‖⁴ = 16θ²: θ = 0.5 holds exactly (needs 2),
        // θ = 0.4 needs 8/(0.16·16) = 3.125 examples.
        let (along, _) = statistics([([1, 0], 1), ([3, 0], 1)])
        XCTAssertEqual(AugmentedInnerProductTest(theta: 0.5, nu: 1).requiredExamples(along), 2, accuracy: 1e-9)
        XCTAssertEqual(AugmentedInnerProductTest(theta: 0.4, nu: 1).requiredExamples(along), 3.125, accuracy: 1e-6)
        // Second set: nothing along ḡ, σ̂²_⊥ = 6 against ν²‖ḡ‖² = 4ν²: ν = 1 needs 1.5 (holds), ν = 0.5 needs 6,
        // where the norm test with θ = 0.5 agrees because all the variance is orthogonal.
        let (across, _) = statistics([([2, 1], 2), ([2, -2], 1)])
        XCTAssertEqual(AugmentedInnerProductTest(theta: 0.01, nu: 1).requiredExamples(across), 1.5, accuracy: 1e-6)
        XCTAssertEqual(AugmentedInnerProductTest(theta: 0.01, nu: 0.5).requiredExamples(across), 6, accuracy: 1e-6)
    }

    func testWindowGrowsToTheSmallestRecentProposal() {
        let (small, _) = statistics([([2, 1], 2), ([2, -2], 1)])   // θ = 0.5: proposes 2× the batch
        let (large, _) = statistics([([1, 0], 1), ([3, 4], 1)])    // σ̂² = 10, ‖ḡ‖² = 8: needs 5 of 2, proposes 25
        var adaptive = AdaptiveBatchSize(test: NormTest(theta: 0.5), initial: 10, maximum: 1000, window: 2)
        let proposals = (adaptive.proposal(small), adaptive.proposal(large))
        XCTAssertEqual(proposals.0, 20)
        XCTAssertEqual(proposals.1, 25)
        XCTAssertFalse(adaptive.update(large), "one proposal is not a window of two")
        XCTAssertTrue(adaptive.update(small))
        XCTAssertEqual(adaptive.batch, 20)
    }
}
