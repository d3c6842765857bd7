/// Clip-RAdaGradD: clipped, reweighted AdaGrad with delay (Chezhegov et al., arXiv 2406.04443, Alg. 1).
///
/// ĝ_t = clip(g_t, λ) = min(1, λ/‖g_t‖)·g_t,
/// x_{t+1} = x_t − (γ/b_t)·ĝ_t,   b²_{t+1} = b²_t + η·‖ĝ_t‖²,
/// so the step at t uses only ĝ_0 … ĝ_{t−1} (the delay), and η ≤ 1 reweights how fast the step
/// size decays. Clipping bounds each ĝ_t, which is what turns the high-probability bound from
/// polynomial in 1/δ (AdaGrad, AdaGradD under heavy tails) into polylogarithmic. The paper analyses
/// the norm version; `coordinateWise: true` keeps one b per coordinate
/// (b²_{t+1,i} = b²_{t,i} + η·ĝ²_{t,i}), the variant its experiments on neural networks use.
public struct ClipRAdaGradD: Optimizer {
    public var learningRate: Float
    public let clipLevel: Float
    public let eta: Float
    public let b0: Float
    public let coordinateWise: Bool
    /// `.norm(λ)` as analysed, or `.normPerTensor(λ)` as in the official fine-tuning code.
    public let clipping: Clipping
    /// b_t for the norm version (b₀ before the first step).
    public private(set) var b: Float
    private var bSquared = StateVector()
    private var initialised = false

    public init(learningRate: Float, clipLevel: Float, eta: Float = 1, b0: Float, coordinateWise: Bool = false, perTensor: Bool = false) {
        precondition(learningRate > 0 && clipLevel > 0 && eta > 0 && b0 > 0,
                     "Clip-RAdaGradD needs γ, λ, η, b₀ > 0; got γ=\(learningRate), λ=\(clipLevel), η=\(eta), b₀=\(b0)")
        self.learningRate = learningRate
        self.clipLevel = clipLevel
        self.eta = eta
        self.b0 = b0
        self.coordinateWise = coordinateWise
        clipping = perTensor ? .normPerTensor(clipLevel) : .norm(clipLevel)
        b = b0
    }

    public mutating func step(_ parameters: ParameterStore) {
        let (gamma, eta) = (learningRate, self.eta)
        let b0sq = b0 * b0
        let first = !initialised
        initialised = true
        clipping.apply(to: parameters)
        parameters.withValuesAndGrads { x, g in
            if !coordinateWise {
                BLAS.axpy(x.count, alpha: -gamma / b, x: g.baseAddress!, y: x.baseAddress!)
                let clippedNorm = BLAS.norm2(g.count, g.baseAddress!)
                b = (b * b + eta * clippedNorm * clippedNorm).squareRoot()
                return
            }
            bSquared.withBuffer(count: x.count) { b2 in
                if first { for i in 0..<b2.count { b2[i] = b0sq } }
                for i in 0..<x.count {
                    x[i] -= gamma * g[i] / b2[i].squareRoot()
                    b2[i] += eta * g[i] * g[i]
                }
            }
        }
    }
}

extension OptimizerName {
    public static let clipRAdagradD: OptimizerName = "clip-radagradd"
}

extension ClipRAdaGradD {
    public static let definition = OptimizerDefinition(.clipRAdagradD, required: [.clip, .b0], optional: [.eta, .coordinateWise, .clipPerTensor]) {
        spec, _ in
        ClipRAdaGradD(learningRate: spec.lr, clipLevel: spec.clip!, eta: spec.eta ?? 1, b0: spec.b0!, coordinateWise: spec.coordinateWise ?? false,
                      perTensor: spec.clipPerTensor ?? false)
    }
}
