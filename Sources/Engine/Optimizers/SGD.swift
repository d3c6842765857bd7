/// Stochastic gradient descent with optional heavy-ball momentum and L2 weight decay.
///
/// d_t = g_t + λ_wd·x_t,  m_t = μ·m_{t−1} + d_t,  x_{t+1} = x_t − γ·m_t   (μ = 0: plain SGD, m_t = d_t).
/// This is PyTorch's `torch.optim.SGD` convention (no dampening), so step sizes transfer.
public struct SGD: Optimizer {
    public var learningRate: Float
    public let momentum: Float
    public let weightDecay: Float
    private var m = StateVector()

    public init(learningRate: Float, momentum: Float = 0, weightDecay: Float = 0) {
        precondition(learningRate > 0 && momentum >= 0 && momentum < 1 && weightDecay >= 0,
                     "SGD needs γ > 0, 0 ≤ μ < 1, weight decay ≥ 0; got γ=\(learningRate), μ=\(momentum), wd=\(weightDecay)")
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
    }

    public mutating func step(_ parameters: ParameterStore) {
        let (gamma, mu, wd) = (learningRate, momentum, weightDecay)
        parameters.withValuesAndGrads { x, g in
            if mu == 0 {
                for i in 0..<x.count { x[i] -= gamma * (g[i] + wd * x[i]) }
                return
            }
            m.withBuffer(count: x.count) { m in
                for i in 0..<x.count {
                    m[i] = mu * m[i] + g[i] + wd * x[i]
                    x[i] -= gamma * m[i]
                }
            }
        }
    }
}

extension OptimizerName {
    public static let sgd: OptimizerName = "sgd"
}

extension SGD {
    /// `sgd` (momentum β, weight decay), `clip-sgd` with `clip: λ`.
    public static let definition = OptimizerDefinition(.sgd, optional: [.beta, .weightDecay], clippable: true) { spec, _ in
        SGD(learningRate: spec.lr, momentum: spec.beta ?? 0, weightDecay: spec.weightDecay ?? 0)
    }
}
