/// Sign-based zeroth-order descent with a comparison oracle: CompsSGD and MajorityVote-CompsSGD
/// (Kornilov et al. arXiv 2502.07923, §5).
///
/// The oracle only answers whether f(x) < f(y), possibly with noise. Each step draws a direction
/// e_t uniformly on the unit sphere, asks the oracle to compare f(x_t + δ·e_t) with f(x_t − δ·e_t),
/// which estimates sign⟨∇f(x_t), e_t⟩ for small δ, and moves x_{t+1} = x_t − γ·ϕ_t·e_t with
/// ϕ_t = +1 when the forward point is not lower, −1 otherwise. MajorityVote-CompsSGD asks M
/// independent comparisons of the same pair and uses their majority, the zeroth-order analogue of
/// voting over workers. Counts comparisons so progress can be plotted against oracle calls.
public struct CompsSGD {
    public var learningRate: Float
    /// δ, the half-distance between the two compared points.
    public let smoothing: Float
    /// M, comparisons per step (odd, so the vote never ties).
    public let votes: Int
    public private(set) var comparisons = 0

    public init(learningRate: Float, smoothing: Float, votes: Int = 1) {
        precondition(learningRate > 0 && smoothing > 0, "CompsSGD needs γ > 0 and δ > 0")
        precondition(votes >= 1 && votes % 2 == 1, "CompsSGD needs an odd number of votes M ≥ 1, got \(votes)")
        self.learningRate = learningRate
        self.smoothing = smoothing
        self.votes = votes
    }

    /// One step on x; `isLower(a, b, &rng)` is the (noisy) oracle for f(a) < f(b).
    public mutating func step(
        _ x: inout Tensor, rng: inout RNG,
        isLower: (_ a: Tensor, _ b: Tensor, _ rng: inout RNG) -> Bool
    ) {
        let d = x.count
        let e = RandomDirection.onUnitSphere(d, rng: &rng)
        var forward = x, backward = x
        e.withUnsafeBufferPointer { e in
            forward.withUnsafeMutableBufferPointer { BLAS.axpy(d, alpha: smoothing, x: e.baseAddress!, y: $0.baseAddress!) }
            backward.withUnsafeMutableBufferPointer { BLAS.axpy(d, alpha: -smoothing, x: e.baseAddress!, y: $0.baseAddress!) }
        }
        var forwardLower = 0
        for _ in 0..<votes where isLower(forward, backward, &rng) { forwardLower += 1 }
        comparisons += votes
        // Majority says f(x + δe) < f(x − δe): the descent direction is +e.
        let phi: Float = 2 * forwardLower > votes ? -1 : 1
        e.withUnsafeBufferPointer { e in
            x.withUnsafeMutableBufferPointer { BLAS.axpy(d, alpha: -learningRate * phi, x: e.baseAddress!, y: $0.baseAddress!) }
        }
    }
}
