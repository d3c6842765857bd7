/// An optimizer named with its hyper-parameters, as written in an experiment's YAML config, e.g.
/// `{method: clip-radagradd, lr: 0.1, clip: 1, eta: 0.5, b0: 1}`. Decoding checks that every
/// hyper-parameter the method needs is present; unknown method names list the known ones.
public struct OptimizerSpec: Codable, Hashable, Sendable {
    public enum Method: String, Codable, CaseIterable, Sendable, NamedChoice {
        case sgd, clipSGD = "clip-sgd", normalizedSGD = "normalized-sgd"
        case adagrad, adagradD = "adagradd", clipAdagrad = "clip-adagrad", clipRAdagradD = "clip-radagradd"
        case adagradNorm = "adagrad-norm", adagradNormD = "adagrad-normd", clipAdagradNorm = "clip-adagrad-norm"
        case clipAdagradNormD = "clip-adagrad-normd"
        case adam, adamD = "adamd", clipAdam = "clip-adam", clipAdamD = "clip-adamd", adamw, rmsprop
        case signSGD = "signsgd", mSignSGD = "m-signsgd"
        /// Rodomanov et al.'s universal SGD (needs `radius` D; `lr` 1 is the paper's method).
        case universalSGD = "usgm"
    }

    public var method: Method
    /// γ.
    public var lr: Float
    /// λ for the clipped methods (norm clipping).
    public var clip: Float?
    /// β (momentum / β₁) where the method has one.
    public var beta: Float?
    public var beta2: Float?
    public var eta: Float?
    public var b0: Float?
    public var weightDecay: Float?
    public var coordinateWise: Bool?
    /// Clip each parameter tensor's gradient norm separately instead of the whole vector's.
    public var clipPerTensor: Bool?
    /// D, the distance scale of the universal method.
    public var radius: Double?

    public init(method: Method, lr: Float, clip: Float? = nil, beta: Float? = nil, beta2: Float? = nil, eta: Float? = nil,
                b0: Float? = nil, weightDecay: Float? = nil, coordinateWise: Bool? = nil, clipPerTensor: Bool? = nil, radius: Double? = nil) {
        self.method = method
        self.lr = lr
        self.clip = clip
        self.beta = beta
        self.beta2 = beta2
        self.eta = eta
        self.b0 = b0
        self.weightDecay = weightDecay
        self.coordinateWise = coordinateWise
        self.clipPerTensor = clipPerTensor
        self.radius = radius
    }

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    private func clipping() throws -> Clipping {
        let lambda = try required(clip, "clip")
        return clipPerTensor == true ? .normPerTensor(lambda) : .norm(lambda)
    }

    private func required(_ value: Float?, _ key: String) throws -> Float {
        guard let value else { throw Invalid(description: "optimizer '\(method.rawValue)' needs '\(key)'") }
        return value
    }

    /// Every given hyper-parameter in its range, so a config value never reaches an optimizer's
    /// precondition.
    private func checkRanges() throws {
        func check(_ ok: Bool, _ key: String, _ range: String, _ value: some Numeric) throws {
            if !ok { throw Invalid(description: "optimizer '\(method.rawValue)': \(key) must be \(range), got \(value)") }
        }
        try check(lr > 0 && lr.isFinite, "lr", "a positive number", lr)
        for (key, value) in [("clip", clip), ("eta", eta), ("b0", b0)] {
            if let value { try check(value > 0 && value.isFinite, key, "a positive number", value) }
        }
        for (key, value) in [("beta", beta), ("beta2", beta2)] {
            if let value { try check(value >= 0 && value < 1, key, "in [0, 1)", value) }
        }
        if let weightDecay { try check(weightDecay >= 0 && weightDecay.isFinite, "weightDecay", "a number ≥ 0", weightDecay) }
        if let radius { try check(radius > 0 && radius.isFinite, "radius", "a positive number", radius) }
    }

    /// Builds the optimizer; throws when a needed hyper-parameter is missing or out of its range.
    public func make() throws -> any Optimizer {
        try checkRanges()
        let beta1 = beta ?? 0.9, b2 = beta2 ?? 0.999
        switch method {
        case .sgd: return SGD(learningRate: lr, momentum: beta ?? 0, weightDecay: weightDecay ?? 0)
        case .clipSGD: return Clipped(SGD(learningRate: lr, momentum: beta ?? 0), clipping: try clipping())
        case .normalizedSGD: return NormalizedSGD(learningRate: lr, beta: beta ?? 0)
        case .adagrad: return AdaGrad(learningRate: lr, b0: b0 ?? 1e-8)
        case .adagradD: return AdaGrad(learningRate: lr, b0: try required(b0, "b0"), delayed: true)
        case .clipAdagrad: return Clipped(AdaGrad(learningRate: lr, b0: b0 ?? 1e-8), clipping: try clipping())
        case .clipRAdagradD:
            return ClipRAdaGradD(learningRate: lr, clipLevel: try required(clip, "clip"), eta: eta ?? 1,
                                 b0: try required(b0, "b0"), coordinateWise: coordinateWise ?? false, perTensor: clipPerTensor ?? false)
        case .adagradNorm: return AdaGradNorm(learningRate: lr, b0: try required(b0, "b0"), eta: eta ?? 1)
        case .adagradNormD: return AdaGradNorm(learningRate: lr, b0: try required(b0, "b0"), delayed: true, eta: eta ?? 1)
        case .clipAdagradNorm:
            return Clipped(AdaGradNorm(learningRate: lr, b0: try required(b0, "b0"), eta: eta ?? 1), clipping: try clipping())
        case .clipAdagradNormD:
            return Clipped(AdaGradNorm(learningRate: lr, b0: try required(b0, "b0"), delayed: true, eta: eta ?? 1),
                           clipping: try clipping())
        case .adam: return Adam(learningRate: lr, beta1: beta1, beta2: b2)
        case .adamD: return Adam(learningRate: lr, beta1: beta1, beta2: b2, delayed: true, b0: try required(b0, "b0"))
        case .clipAdam: return Clipped(Adam(learningRate: lr, beta1: beta1, beta2: b2), clipping: try clipping())
        case .clipAdamD:
            return Clipped(Adam(learningRate: lr, beta1: beta1, beta2: b2, delayed: true, b0: try required(b0, "b0")),
                           clipping: try clipping())
        case .adamw: return AdamW(learningRate: lr, beta1: beta1, beta2: b2, weightDecay: weightDecay ?? 0.01)
        case .rmsprop: return RMSProp(learningRate: lr, rho: beta ?? 0.99)
        case .signSGD: return SignSGD(learningRate: lr)
        case .mSignSGD: return MSignSGD(learningRate: lr, beta: beta ?? 0.9, weightDecay: weightDecay ?? 0)
        case .universalSGD:
            guard let radius else { throw Invalid(description: "optimizer 'usgm' needs 'radius' (D), a positive number") }
            return UniversalSGD(learningRate: lr, radius: radius)
        }
    }
}
