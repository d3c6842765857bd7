/// Normalized SGD (with optional momentum, Cutkosky & Mehta 2020):
/// m_t = β·m_{t−1} + (1−β)·g_t,  x_{t+1} = x_t − γ·m_t/‖m_t‖  (β = 0: x_{t+1} = x_t − γ·g_t/‖g_t‖).
/// A zero direction leaves x unchanged.
public struct NormalizedSGD: Optimizer {
    public var learningRate: Float
    public let beta: Float
    private var m = StateVector()

    public init(learningRate: Float, beta: Float = 0) {
        precondition(learningRate > 0 && (0..<1).contains(beta), "NormalizedSGD needs γ > 0 and β ∈ [0, 1)")
        self.learningRate = learningRate
        self.beta = beta
    }

    public mutating func step(_ parameters: ParameterStore) {
        let (gamma, beta) = (learningRate, self.beta)
        parameters.withValuesAndGrads { x, g in
            m.withBuffer(count: x.count) { m in
                for i in 0..<x.count { m[i] = beta * m[i] + (1 - beta) * g[i] }
                let norm = BLAS.norm2(m.count, m.baseAddress!)
                guard norm > 0 else { return }
                BLAS.axpy(x.count, alpha: -gamma / norm, x: m.baseAddress!, y: x.baseAddress!)
            }
        }
    }
}

extension OptimizerName {
    public static let normalizedSGD: OptimizerName = "normalized-sgd"
}

extension NormalizedSGD {
    public static let definition = OptimizerDefinition(.normalizedSGD, optional: [.beta]) { spec, _ in
        NormalizedSGD(learningRate: spec.lr, beta: spec.beta ?? 0)
    }
}
