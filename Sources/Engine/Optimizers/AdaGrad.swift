/// Coordinate-wise AdaGrad (Duchi, Hazan & Singer 2011) and its delayed version AdaGradD.
///
/// AdaGrad:  b²_{t,i} = b²_{t−1,i} + g²_{t,i},  x_{t+1,i} = x_{t,i} − γ·g_{t,i}/b_{t,i}.
/// AdaGradD (`delayed: true`, Chezhegov et al. arXiv 2406.04443, §2): x_{t+1,i} = x_{t,i} − γ·g_{t,i}/b_{t−1,i},
/// i.e. the step uses the accumulator *before* the current gradient is added, which makes the step
/// size conditionally independent of g_t. b_{−1,i} = b₀ > 0 for every coordinate.
public struct AdaGrad: Optimizer {
    public var learningRate: Float
    /// b₀, the initial value of every accumulator (PyTorch's `initial_accumulator_value` is b₀²).
    public let initialAccumulator: Float
    public let delayed: Bool
    private var bSquared = StateVector()
    private var initialised = false

    public init(learningRate: Float, b0: Float = 1e-8, delayed: Bool = false) {
        precondition(learningRate > 0 && b0 > 0, "AdaGrad needs γ > 0 and b₀ > 0; got γ=\(learningRate), b₀=\(b0)")
        self.learningRate = learningRate
        initialAccumulator = b0
        self.delayed = delayed
    }

    public mutating func step(_ parameters: ParameterStore) {
        let (gamma, b0sq, delayed) = (learningRate, initialAccumulator * initialAccumulator, self.delayed)
        let first = !initialised
        initialised = true
        parameters.withValuesAndGrads { x, g in
            bSquared.withBuffer(count: x.count) { b2 in
                if first { for i in 0..<b2.count { b2[i] = b0sq } }
                for i in 0..<x.count {
                    let previous = b2[i]
                    b2[i] += g[i] * g[i]
                    x[i] -= gamma * g[i] / (delayed ? previous : b2[i]).squareRoot()
                }
            }
        }
    }
}

extension OptimizerName {
    public static let adagrad: OptimizerName = "adagrad"
}

extension AdaGrad {
    /// `adagrad`, `adagradd` (delayed, needs b₀), `clip-adagrad`, `clip-adagradd`.
    public static let definition = OptimizerDefinition(.adagrad, optional: [.b0], clippable: true, delayable: true) { spec, delayed in
        AdaGrad(learningRate: spec.lr, b0: spec.b0 ?? 1e-8, delayed: delayed)
    }
}
