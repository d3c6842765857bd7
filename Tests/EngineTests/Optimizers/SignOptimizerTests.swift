import XCTest
@testable import Engine

final class SignOptimizerTests: XCTestCase {
    func testSignSGDMovesEachCoordinateByGamma() {
        var sign = SignSGD(learningRate: 0.5)
        assertClose(iterate(&sign, from: [1, 1, 1], gradients: [[3, -0.1, 0]]), [0.5, 1.5, 1])
    }

    func testMomentumSignFollowsTheAverageNotTheLastGradient() {
        // β = 0.5: m₁ = 1 → x₁ = 1 − 0.1; m₂ = 0.5 − 0.25 = 0.25 > 0 → x₂ = 0.8, while SignSGD steps back to 1.
        var signum = MSignSGD(learningRate: 0.1, beta: 0.5)
        var sign = SignSGD(learningRate: 0.1)
        assertClose(iterate(&signum, from: [1], gradients: [[2], [-0.5]]), [0.8])
        assertClose(iterate(&sign, from: [1], gradients: [[2], [-0.5]]), [1])
    }

    func testNormalizedSGDTakesAUnitLengthStep() {
        var normalized = NormalizedSGD(learningRate: 1)
        assertClose(iterate(&normalized, from: [1, 1], gradients: [[3, 4]]), [0.4, 0.2])
    }

    func testMajorityVoteAppliesTheSignOfTheSumOfSigns() {
        let store = ParameterStore(vector: Tensor(shape: [3], [0, 0, 0]))
        var vote = MajorityVoteSignSGD(learningRate: 0.1)
        let workers = [[1, -1, 2], [1, 1, -1], [-1, 1, -3]].map { Tensor(shape: [3], $0 as [Float]) }
        vote.step(store, workerGradients: workers)
        assertClose(store.values.scalars, [-0.1, -0.1, 0.1])
        XCTAssertEqual(MajorityVoteSignSGD.uplinkBits(dimension: 3), 3)
    }

    func testMajorityVoteTieLeavesTheCoordinateUnchanged() {
        let store = ParameterStore(vector: Tensor(shape: [2], [0, 0]))
        var vote = MajorityVoteSignSGD(learningRate: 0.1)
        vote.step(store, workerGradients: [Tensor(shape: [2], [1, 1]), Tensor(shape: [2], [-1, 1])])
        assertClose(store.values.scalars, [0, -0.1])
    }

    func testCompsSGDDescendsAQuadraticWithAnExactComparisonOracle() {
        var x = Tensor(shape: [10], [Float](repeating: 1, count: 10))
        func f(_ v: Tensor) -> Float { v.scalars.reduce(0) { $0 + $1 * $1 } }
        let start = f(x)
        var method = CompsSGD(learningRate: 0.02, smoothing: 1e-3, votes: 3)
        var rng = RNG(seed: 7)
        for _ in 0..<1500 { method.step(&x, rng: &rng) { a, b, _ in f(a) < f(b) } }
        XCTAssertLessThan(f(x), 0.05 * start)
        XCTAssertEqual(method.comparisons, 4500)
    }

    func testTwoPointZeroOrderStepsAlongTheDirectionByTheScaledDifference() {
        // f(x) = ‖x‖², x = (1, 0), δ = 0.5; whatever e is drawn, f(x ± δe) = 1 ± e₁ + 0.25, so the
        // difference is 2e₁ and x moves by −γ·d·(2e₁)/(2δ)·e = −γ·4e₁·e.
        var x = Tensor(shape: [2], [1, 0])
        var rng = RNG(seed: 3)
        var probe = rng
        let e = RandomDirection.onUnitSphere(2, rng: &probe).scalars
        var method = TwoPointZeroOrder(learningRate: 0.1, smoothing: 0.5)
        method.step(&x, rng: &rng) { v, _ in Double(v.scalars.reduce(0) { $0 + $1 * $1 }) }
        assertClose(x.scalars, [1 - 0.4 * e[0] * e[0], -0.4 * e[0] * e[1]])
        XCTAssertEqual(method.evaluations, 2)
    }
}
