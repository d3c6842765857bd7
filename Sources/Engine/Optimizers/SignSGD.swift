/// SignSGD (Bernstein et al. 2018; Kornilov et al. arXiv 2502.07923, Alg. 1):
/// x_{t+1} = x_t − γ·sign(g_t), with sign(0) = 0.
///
/// A minibatch of B samples is handled by the caller averaging them into g_t; the update needs no
/// clipping level because |sign(g)_i| ≤ 1 however heavy the noise's tails are.
public struct SignSGD: Optimizer {
    public var learningRate: Float

    public init(learningRate: Float) {
        precondition(learningRate > 0, "SignSGD needs γ > 0, got \(learningRate)")
        self.learningRate = learningRate
    }

    public mutating func step(_ parameters: ParameterStore) {
        let gamma = learningRate
        parameters.withValuesAndGrads { x, g in
            for i in 0..<x.count { x[i] -= gamma * Sign.of(g[i]) }
        }
    }
}

/// sign(v) ∈ {−1, 0, 1}, branch-free so loops over it vectorise.
public enum Sign {
    @inline(__always)
    public static func of(_ v: Float) -> Float { v > 0 ? 1 : (v < 0 ? -1 : 0) }
}

extension OptimizerName {
    public static let signSGD: OptimizerName = "signsgd"
}

extension SignSGD {
    public static let definition = OptimizerDefinition(.signSGD, bitsPerCoordinate: 1, vote: { MajorityVoteSignSGD(learningRate: $0.lr) }) {
        spec, _ in SignSGD(learningRate: spec.lr)
    }
}
