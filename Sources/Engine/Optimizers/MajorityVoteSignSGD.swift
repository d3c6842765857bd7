/// MajorityVote-SignSGD over M simulated workers (Bernstein et al. 2019; Kornilov et al.
/// arXiv 2502.07923), optionally with per-worker momentum (MajorityVote-M-SignSGD).
///
/// Worker j keeps m^j_t = β·m^j_{t−1} + (1−β)·g^j_t (β = 0: m^j_t = g^j_t) and sends sign(m^j_t);
/// the server broadcasts s_t = sign(Σ_j sign(m^j_t)) and every worker applies x_{t+1} = x_t − γ·s_t.
/// Communication per step: d bits up per worker (one sign per coordinate) and d bits down, against
/// 32·d bits each way for float gradients. With symmetric noise the vote's error probability falls
/// with M, which is the paper's point; ties (even M) give s_i = 0.
///
/// Codable like every optimizer: its encoding is its whole state, for a run's checkpoint.
public struct MajorityVoteSignSGD: Codable {
    public var learningRate: Float
    public let beta: Float
    public let weightDecay: Float
    private var momenta: [StateVector] = []
    private var votes = StateVector()

    public init(learningRate: Float, beta: Float = 0, weightDecay: Float = 0) {
        precondition(learningRate > 0 && (0..<1).contains(beta) && weightDecay >= 0,
                     "MajorityVoteSignSGD needs γ > 0, β ∈ [0, 1), weight decay ≥ 0")
        self.learningRate = learningRate
        self.beta = beta
        self.weightDecay = weightDecay
    }

    /// Bits one worker sends per step for a d-dimensional model (its signs), and the server's broadcast.
    public static func uplinkBits(dimension d: Int) -> Int { d }
    public static func downlinkBits(dimension d: Int) -> Int { d }

    /// One step from the M workers' stochastic gradients at the current x (each a flat `[d]` tensor).
    public mutating func step(_ parameters: ParameterStore, workerGradients: [Tensor]) {
        let d = parameters.count
        precondition(!workerGradients.isEmpty, "MajorityVoteSignSGD needs at least one worker gradient")
        precondition(workerGradients.allSatisfy { $0.count == d },
                     "every worker gradient must have the model's \(d) coordinates")
        if momenta.count != workerGradients.count { momenta = Array(repeating: StateVector(), count: workerGradients.count) }
        let (beta, gamma, wd) = (self.beta, learningRate, weightDecay)
        votes.withBuffer(count: d) { s in
            for i in 0..<d { s[i] = 0 }
            for j in 0..<workerGradients.count {
                workerGradients[j].withUnsafeBufferPointer { g in
                    momenta[j].withBuffer(count: d) { m in
                        for i in 0..<d {
                            m[i] = beta * m[i] + (1 - beta) * g[i]
                            s[i] += Sign.of(m[i])
                        }
                    }
                }
            }
            parameters.values.withUnsafeMutableBufferPointer { x in
                for i in 0..<d { x[i] -= gamma * (Sign.of(s[i]) + wd * x[i]) }
            }
        }
    }
}
