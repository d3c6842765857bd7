import Foundation

/// AdamW (Loshchilov & Hutter 2019, Algorithm 2): Adam with decoupled weight decay.
///
/// x_{t+1} = x_t − γ·(m̂_t/(√v̂_t + ε) + λ_wd·x_t), moments as in `Adam`. PyTorch's `AdamW`
/// multiplies the decay by the same γ, which is the convention here.
public struct AdamW: Optimizer {
    public var learningRate: Float
    public let beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float
    public private(set) var t = 0
    private var m = StateVector(), v = StateVector()

    public init(learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0.01) {
        precondition(learningRate > 0 && (0..<1).contains(beta1) && (0..<1).contains(beta2) && epsilon > 0 && weightDecay >= 0,
                     "AdamW needs γ > 0, β₁, β₂ ∈ [0, 1), ε > 0, weight decay ≥ 0")
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    public mutating func step(_ parameters: ParameterStore) {
        t += 1
        let (b1, b2, eps, gamma, wd) = (beta1, beta2, epsilon, learningRate, weightDecay)
        let c1 = 1 - Float(Foundation.pow(Double(b1), Double(t)))
        let c2 = 1 - Float(Foundation.pow(Double(b2), Double(t)))
        parameters.withValuesAndGrads { x, g in
            m.withBuffer(count: x.count) { m in v.withBuffer(count: x.count) { v in
                for i in 0..<x.count {
                    m[i] = b1 * m[i] + (1 - b1) * g[i]
                    v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                    x[i] -= gamma * ((m[i] / c1) / ((v[i] / c2).squareRoot() + eps) + wd * x[i])
                }
            }}
        }
    }
}

extension OptimizerName {
    public static let adamw: OptimizerName = "adamw"
}

extension AdamW {
    public static let definition = OptimizerDefinition(.adamw, optional: [.beta, .beta2, .weightDecay], clippable: true) { spec, _ in
        AdamW(learningRate: spec.lr, beta1: spec.beta ?? 0.9, beta2: spec.beta2 ?? 0.999, weightDecay: spec.weightDecay ?? 0.01)
    }
}
