/// Momentum SignSGD, M-SignSGD (Signum of Bernstein et al. 2018; Kornilov et al. arXiv 2502.07923):
/// m_t = β·m_{t−1} + (1−β)·g_t,  x_{t+1} = x_t − γ·sign(m_t),  m_{−1} = 0.
///
/// With optional decoupled weight decay (x ← x − γλ_wd·x), as used when training language models.
public struct MSignSGD: Optimizer {
    public var learningRate: Float
    public let beta: Float
    public let weightDecay: Float
    private var m = StateVector()

    public init(learningRate: Float, beta: Float = 0.9, weightDecay: Float = 0) {
        precondition(learningRate > 0 && (0..<1).contains(beta) && weightDecay >= 0,
                     "M-SignSGD needs γ > 0, β ∈ [0, 1), weight decay ≥ 0")
        self.learningRate = learningRate
        self.beta = beta
        self.weightDecay = weightDecay
    }

    public mutating func step(_ parameters: ParameterStore) {
        let (gamma, beta, wd) = (learningRate, self.beta, weightDecay)
        parameters.withValuesAndGrads { x, g in
            m.withBuffer(count: x.count) { m in
                for i in 0..<x.count {
                    m[i] = beta * m[i] + (1 - beta) * g[i]
                    x[i] -= gamma * (Sign.of(m[i]) + wd * x[i])
                }
            }
        }
    }
}

extension OptimizerName {
    public static let mSignSGD: OptimizerName = "m-signsgd"
}

extension MSignSGD {
    public static let definition = OptimizerDefinition(
        .mSignSGD, optional: [.beta, .weightDecay], bitsPerCoordinate: 1,
        vote: { MajorityVoteSignSGD(learningRate: $0.lr, beta: $0.beta ?? 0.9, weightDecay: $0.weightDecay ?? 0) }
    ) { spec, _ in
        MSignSGD(learningRate: spec.lr, beta: spec.beta ?? 0.9, weightDecay: spec.weightDecay ?? 0)
    }
}
