/// AdaGrad-Norm (Ward, Wu & Bottou 2019; "AdaGrad" in the analysis of arXiv 2406.04443) with one
/// scalar step size, and its delayed version.
///
/// b²_t = b²_{t−1} + η·‖g_t‖²,  x_{t+1} = x_t − γ·g_t/b_t;  delayed: x_{t+1} = x_t − γ·g_t/b_{t−1}
/// (AdaGrad-NormD / AdaGradD of arXiv 2406.04443, §2), with b_{−1} = b₀ > 0. η = 1 is plain
/// AdaGrad-Norm; η < 1 is the paper's reweighting ("R" in RAdaGradD), which slows the decay of the
/// step size (the official quadratic experiment uses η = γ²).
public struct AdaGradNorm: Optimizer {
    public var learningRate: Float
    public let delayed: Bool
    public let eta: Float
    /// b_t after the last step (b₀ before the first).
    public private(set) var b: Float

    public init(learningRate: Float, b0: Float, delayed: Bool = false, eta: Float = 1) {
        precondition(learningRate > 0 && b0 > 0 && eta > 0,
                     "AdaGradNorm needs γ, b₀, η > 0; got γ=\(learningRate), b₀=\(b0), η=\(eta)")
        self.learningRate = learningRate
        self.delayed = delayed
        self.eta = eta
        b = b0
    }

    public mutating func step(_ parameters: ParameterStore) {
        let previous = b
        parameters.withValuesAndGrads { x, g in
            let norm = BLAS.norm2(g.count, g.baseAddress!)
            b = (previous * previous + eta * norm * norm).squareRoot()
            let scale = learningRate / (delayed ? previous : b)
            BLAS.axpy(x.count, alpha: -scale, x: g.baseAddress!, y: x.baseAddress!)
        }
    }
}

extension OptimizerName {
    public static let adagradNorm: OptimizerName = "adagrad-norm"
}

extension AdaGradNorm {
    /// `adagrad-norm`, `adagrad-normd` (delayed), `clip-adagrad-norm`, `clip-adagrad-normd`.
    public static let definition = OptimizerDefinition(.adagradNorm, required: [.b0], optional: [.eta], clippable: true, delayable: true) {
        spec, delayed in
        AdaGradNorm(learningRate: spec.lr, b0: spec.b0!, delayed: delayed, eta: spec.eta ?? 1)
    }
}
