/// RMSProp (Tieleman & Hinton 2012): v_t = ρv_{t−1} + (1−ρ)g_t²,  x_{t+1} = x_t − γ·g_t/(√v_t + ε).
public struct RMSProp: Optimizer {
    public var learningRate: Float
    public let rho: Float, epsilon: Float
    private var v = StateVector()

    public init(learningRate: Float, rho: Float = 0.99, epsilon: Float = 1e-8) {
        precondition(learningRate > 0 && (0..<1).contains(rho) && epsilon > 0, "RMSProp needs γ > 0, ρ ∈ [0, 1), ε > 0")
        self.learningRate = learningRate
        self.rho = rho
        self.epsilon = epsilon
    }

    public mutating func step(_ parameters: ParameterStore) {
        let (gamma, rho, eps) = (learningRate, self.rho, epsilon)
        parameters.withValuesAndGrads { x, g in
            v.withBuffer(count: x.count) { v in
                for i in 0..<x.count {
                    v[i] = rho * v[i] + (1 - rho) * g[i] * g[i]
                    x[i] -= gamma * g[i] / (v[i].squareRoot() + eps)
                }
            }
        }
    }
}

extension OptimizerName {
    public static let rmsprop: OptimizerName = "rmsprop"
}

extension RMSProp {
    /// ρ is the spec's `beta`.
    public static let definition = OptimizerDefinition(.rmsprop, optional: [.beta], clippable: true) { spec, _ in
        RMSProp(learningRate: spec.lr, rho: spec.beta ?? 0.99)
    }
}
