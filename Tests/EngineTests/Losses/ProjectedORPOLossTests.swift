import Foundation
import XCTest
@testable import Engine

final class ProjectedORPOLossTests: XCTestCase {
    func testHandComputedCase() {
        // Logits (0, 1, 2) (h = (1, 0), table rows (0, 0), (1, 0), (2, 0)), chosen 1, rejected 2, λ = 0.5:
        // p = (0.0900306, 0.2447285, 0.6652410); odds₁ = 0.3240279, odds₂ = 1.9872219, log OR = −1.8136663,
        // L = −log p₁ + λ·log(1 + e^{1.8136663}) = 1.4076059 + 0.5·1.9647168 = 2.3899643.
        let tape = Tape()
        let h = tape.input(Tensor(shape: [1, 2], [1, 0])), w = tape.input(Tensor(shape: [3, 2], [0, 0, 1, 0, 2, 0]))
        let (loss, stats) = projectedORPOLoss(h, table: w, chosen: [1], rejected: .given([2]), lambda: 0.5)
        XCTAssertEqual(Double(loss.value.item), 2.3899643, accuracy: 1e-5)
        XCTAssertEqual(stats.negativeLogLikelihood, 1.4076059, accuracy: 1e-5)
        XCTAssertEqual(stats.oddsRatioLoss, 1.9647168, accuracy: 1e-5)
        XCTAssertEqual(stats.preferredFraction, 0)
        // The hardest wrong item for chosen 1 is item 2 (item 0 scores lower): the same loss.
        let hardest = projectedORPOLoss(h, table: w, chosen: [1], rejected: .hardest(excluding: []), lambda: 0.5).loss
        XCTAssertEqual(hardest.value.item, loss.value.item)
        // For chosen 2 with padding 0 excluded, the rejected one is 1: the chosen item is preferred.
        let excluded = projectedORPOLoss(h, table: w, chosen: [2], rejected: .hardest(excluding: [0]), lambda: 0.5)
        let given = projectedORPOLoss(h, table: w, chosen: [2], rejected: .given([1]), lambda: 0.5)
        XCTAssertEqual(excluded.loss.value.item, given.loss.value.item)
        XCTAssertEqual(excluded.statistics.preferredFraction, 1)
    }

    func testZeroLambdaIsCrossEntropy() {
        var rng = RNG(seed: 5)
        let x = [Tensor.normal([6, 4], rng: &rng), Tensor.normal([11, 4], rng: &rng)]
        let targets = [3, 0, 10, 7, 7, 1]
        func run(_ orpo: Bool) -> (Float, [Float], [Float]) {
            let tape = Tape()
            let h = tape.input(x[0], requiresGrad: true), w = tape.input(x[1], requiresGrad: true)
            let loss = orpo ? projectedORPOLoss(h, table: w, chosen: targets, rejected: .hardest(excluding: [0]), lambda: 0, blockRows: 4).loss
                            : projectedSoftmaxCrossEntropy(h, table: w, targets: targets, blockRows: 4)
            tape.backward(loss)
            return (loss.value.item, h.grad!.scalars, w.grad!.scalars)
        }
        let (orpo, ce) = (run(true), run(false))
        XCTAssertEqual(orpo.0, ce.0, accuracy: 1e-6)
        assertClose(Tensor(shape: [orpo.1.count], orpo.1), ce.1, tolerance: 1e-6)
        assertClose(Tensor(shape: [orpo.2.count], orpo.2), ce.2, tolerance: 1e-6)
    }

    func testGradientMatchesFiniteDifferences() {
        var rng = RNG(seed: 6)
        let inputs = [Tensor.normal([5, 4], rng: &rng), Tensor.normal([9, 4], std: 0.8, rng: &rng)]
        let given = GradientCheck().check(inputs: inputs) { _, v in
            projectedORPOLoss(v[0], table: v[1], chosen: [1, 8, 2, 4, 4], rejected: .given([3, 0, 5, 6, 1]), lambda: 0.7, blockRows: 2).loss * 3
        }
        XCTAssertLessThan(given.maxError, gradientTolerance, given.description)
        // The hardest item is a fixed choice within a small neighbourhood (no ties at these logits).
        let hardest = GradientCheck().check(inputs: inputs) { _, v in
            projectedORPOLoss(v[0], table: v[1], chosen: [1, 8, 2, 4, 4], rejected: .hardest(excluding: [0]), lambda: 2, blockRows: 3).loss
        }
        XCTAssertLessThan(hardest.maxError, gradientTolerance, hardest.description)
    }
}

final class ProjectedORPOLossExtremesTests: XCTestCase {
    func testAnItemHoldingAlmostAllTheMassGivesFiniteGradients() {
        // Logits (0, 40, 0.5): p(item 1) = 1 − 8e-18, beyond float's 1 − 2⁻²⁴. Chosen 1 rejected 2, and the reverse.
        for (chosen, rejected) in [(1, 2), (2, 1)] {
            let tape = Tape()
            let h = tape.input(Tensor(shape: [1, 1], [1]), requiresGrad: true)
            let w = tape.input(Tensor(shape: [3, 1], [0, 40, 0.5]), requiresGrad: true)
            let (loss, stats) = projectedORPOLoss(h, table: w, chosen: [chosen], rejected: .given([rejected]), lambda: 1)
            tape.backward(loss)
            XCTAssertTrue(loss.value.item.isFinite && stats.oddsRatioLoss.isFinite, "chosen \(chosen): loss \(loss.value.item)")
            XCTAssertTrue((h.grad!.scalars + w.grad!.scalars).allSatisfy(\.isFinite), "chosen \(chosen): \(w.grad!.scalars)")
        }
        // The confident right answer costs almost nothing; the confident wrong one −log p = 39.5 plus
        // log(1 + e^{−z}) with z = log odds₂ − log odds₁ = (0.5 − 40) − (40 − log(1 + e^{0.5})) = −78.526.
        let tape = Tape()
        let h = tape.input(Tensor(shape: [1, 1], [1])), w = tape.input(Tensor(shape: [3, 1], [0, 40, 0.5]))
        XCTAssertLessThan(projectedORPOLoss(h, table: w, chosen: [1], rejected: .given([2]), lambda: 1).loss.value.item, 1e-6)
        XCTAssertEqual(projectedORPOLoss(h, table: w, chosen: [2], rejected: .given([1]), lambda: 1).loss.value.item, 118.026, accuracy: 0.01)
    }

    /// ∂L/∂h of one row in Double from the closed form (α, β_w, β_l of the doc comment), for logits h·Wᵀ.
    private func referenceHiddenGradient(_ h: [Double], _ table: [[Double]], chosen w: Int, rejected l: Int, lambda: Double) -> [Double] {
        let s = table.map { zip($0, h).reduce(0) { $0 + $1.0 * $1.1 } }
        let m = s.max()!
        let e = s.map { Foundation.exp($0 - m) }
        let z = e.reduce(0, +)
        let p = e.map { $0 / z }
        let (restW, restL) = (z - e[w], z - e[l])
        let ratio = (Foundation.log(e[w]) - Foundation.log(restW)) - (Foundation.log(e[l]) - Foundation.log(restL))
        let c = lambda * (1 / (1 + Foundation.exp(-ratio)) - 1)
        let alpha = 1 + c * (z / restL - z / restW)
        var g = p.map { alpha * $0 }
        g[w] += -1 + c * z / restW
        g[l] += -c * z / restL
        return h.indices.map { k in table.indices.reduce(0) { $0 + g[$1] * table[$1][k] } }
    }

    func testRejectedItemHoldingNearlyAllTheMassGivesTheExactGradient() {
        // Logits (0, 13, 0.3, −0.2, 0.1): the rejected item 1 holds 1 − 9.6e-6 of the probability, where
        // assembling its gradient as α·p_l + β_l cancels two terms of size ~λ/(1 − p_l) ≈ 1e5.
        let hidden: [Double] = [1, 0.5]
        let table: [[Double]] = [[0, 0], [12, 2], [0.1, 0.4], [-0.2, 0], [0.3, -0.4]]
        let tape = Tape()
        let h = tape.input(Tensor(shape: [1, 2], hidden.map(Float.init)), requiresGrad: true)
        let w = tape.input(Tensor(shape: [5, 2], table.flatMap { $0.map(Float.init) }))
        tape.backward(projectedORPOLoss(h, table: w, chosen: [0], rejected: .given([1]), lambda: 1).loss)
        let reference = referenceHiddenGradient(hidden, table, chosen: 0, rejected: 1, lambda: 1)
        let norm = reference.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let error = zip(h.grad!.scalars, reference).reduce(0) { $0 + pow(Double($1.0) - $1.1, 2) }.squareRoot()
        XCTAssertLessThan(error / norm, 1e-5, "∂L/∂h \(h.grad!.scalars), reference \(reference)")
    }

    func testChosenItemFarBelowTheMaximumCountsInFull() {
        // Logits (0, 0.5, −1, −150): p(chosen 3) = e^{−150.5}/(1 + e^{−0.5} + e^{−1.5} + …), beyond float's exp.
        // With λ = 0 the loss is exactly the cross-entropy, −log p = 150.5 + log(1 + e^{−0.5} + e^{−1.5}) + tiny.
        let tape = Tape()
        let h = tape.input(Tensor(shape: [1, 1], [1])), w = tape.input(Tensor(shape: [4, 1], [0, 0.5, -1, -150]))
        let exact = 150.5 + Foundation.log(1 + Foundation.exp(-0.5) + Foundation.exp(-1.5))
        let (loss, statistics) = projectedORPOLoss(h, table: w, chosen: [3], rejected: .hardest(excluding: []), lambda: 0)
        XCTAssertEqual(Double(loss.value.item), exact, accuracy: 1e-4)
        XCTAssertEqual(statistics.negativeLogLikelihood, exact, accuracy: 1e-4)
        XCTAssertEqual(loss.value.item, projectedSoftmaxCrossEntropy(h, table: w, targets: [3]).value.item, accuracy: 1e-4)
        // The odds-ratio term: log odds(3) − log odds(1) = −150.5 − (0.5 − log(1 + e^{−1.5})) … ≈ −150.8, so
        // −log σ(z) ≈ 150.8, not the ~88 a saturated exp would give.
        let (_, withLambda) = projectedORPOLoss(h, table: w, chosen: [3], rejected: .given([1]), lambda: 0.5)
        let logOdds3 = -150.0 - Foundation.log(1 + Foundation.exp(0.5) + Foundation.exp(-1.0))
        let logOdds1 = 0.5 - Foundation.log(1 + Foundation.exp(-1.0) + Foundation.exp(-150.0))
        XCTAssertEqual(withLambda.oddsRatioLoss, Foundation.log1p(Foundation.exp(logOdds1 - logOdds3)) , accuracy: 1e-3)
    }
}
