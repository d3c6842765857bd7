import Engine
import Figures
import Foundation
import Suite

/// "Gradient Clipping Improves AdaGrad when the Noise Is Heavy-Tailed" (Chezhegov, Klyukin, Semenov,
/// Beznosikov, Gasnikov, Horváth, Takáč, Gorbunov; arXiv:2406.04443).
///
/// Experiments `paper-quadratic` (the 1-d quadratic of the paper's official code, §4) and
/// `synthetic` (a 10-d quadratic under Gaussian, Student-t and α-stable noise, with Adam and SGD
/// too): many runs per method and the quantiles of the optimality gap. The sweeps are read from
/// `reproductions/heavy-tailed-clipping/experiments.yaml`; `defaults` below is the same sweep and
/// is used when the file is absent. Deviations from the paper are listed in that folder's README.
public struct HeavyTailedClipping: Reproduction {
    public init() {}

    public var id: String { "heavy-tailed-clipping" }
    public var title: String { "Gradient clipping improves AdaGrad when the noise is heavy-tailed" }
    public var citation: String { "arXiv:2406.04443" }
    public var officialCode: [CodeLink] { [CodeLink("the authors' notebooks and fine-tuning scripts", url: "https://github.com/yaroslavkliukin/Clipped-AdaGrad-and-Adam")] }
    public var datasets: [String] { ["tinyshakespeare"] }

    public func experiments(scale: Scale, configDirectory: URL) throws -> [Experiment] {
        let config = try Self.config(configDirectory)
        return [
            try SyntheticExperiment.make(config.paperQuadratic, scale: scale, paper: id, id: SyntheticExperiment.paperID,
                                         title: "paper's quadratic: f = x²/2, Pareto-tailed noise (α = 1.5), AdaGrad variants ± clipping"),
            try SyntheticExperiment.make(config.synthetic, scale: scale, paper: id, id: SyntheticExperiment.id,
                                         title: "quadratic, \(config.synthetic.problem.dimension)-d, Gaussian / Student-t / α-stable noise"),
            try CharLMExperiment.make(config.charLM, scale: scale, paper: id),
            try GradientNoiseExperiment.make(config.charLM, scale: scale, paper: id),
        ]
    }

    static func config(_ directory: URL) throws -> HeavyTailedClippingConfig {
        try ConfigFile.load(HeavyTailedClippingConfig.self, from: directory.appendingPathComponent("experiments.yaml")) ?? defaults
    }

    public var figures: [FigureRequest] { SyntheticFigures.requests + CharLMFigures.requests }
    public var tables: [TableRequest] {
        SyntheticTables.requests + CharLMTables.requests
            + [ClaimTable.request(claims, experiments: [SyntheticExperiment.paperID, SyntheticExperiment.id, CharLMExperiment.id, GradientNoiseExperiment.id])]
    }
    public var claims: [Claim] { SyntheticClaims.all + CharLMClaims.all }

    /// γ = 0.5, b₀ = 3, λ = 0.5, η = γ², x₀ = 2, 10⁴ iterations: the official notebook's setting.
    static let paperDefaults = SyntheticConfig(
        problem: .init(dimension: 1, mu: 1, l: 1, start: 2),
        noises: [NoiseSpec(kind: .pareto, tail: 1.5)],
        methods: [
            .init(name: "AdaGrad", optimizer: .init(method: .adagradNorm, lr: 0.5, b0: 3)),
            .init(name: "Clip-AdaGrad", optimizer: .init(method: .clipAdagradNorm, lr: 0.5, clip: 0.5, b0: 3)),
            .init(name: "AdaGradD", optimizer: .init(method: .adagradNormD, lr: 0.5, b0: 3)),
            .init(name: "Clip-AdaGradD", optimizer: .init(method: .clipAdagradNormD, lr: 0.5, clip: 0.5, b0: 3)),
            .init(name: "RAdaGrad", optimizer: .init(method: .adagradNorm, lr: 0.5, eta: 0.25, b0: 3)),
            .init(name: "Clip-RAdaGrad", optimizer: .init(method: .clipAdagradNorm, lr: 0.5, clip: 0.5, eta: 0.25, b0: 3)),
            .init(name: "RAdaGradD", optimizer: .init(method: .adagradNormD, lr: 0.5, eta: 0.25, b0: 3)),
            .init(name: "Clip-RAdaGradD", optimizer: .init(method: .clipRAdagradD, lr: 0.5, clip: 0.5, eta: 0.25, b0: 3)),
        ],
        quick: .init(steps: 10000, seeds: 100, logEvery: 100),
        full: .init(steps: 10000, seeds: 4000, logEvery: 50))

    /// Adam-type methods with γ = 10⁻³ and per-tensor clipping at λ = 1 (the official fine-tuning
    /// setting: "local" clipping, max_grad_norm 1, delayed Adam's second moment started at 10⁻⁵);
    /// coordinate-wise AdaGrad-type methods with γ = 0.03 and b₀ = 0.1.
    static let charLMDefaults = CharLMConfig(
        model: .init(layers: 2, width: 64, heads: 4, context: 64),
        methods: [
            .init(name: "Adam", optimizer: .init(method: .adam, lr: 1e-3)),
            .init(name: "Clip-Adam", optimizer: .init(method: .clipAdam, lr: 1e-3, clip: 1, clipPerTensor: true)),
            .init(name: "AdamD", optimizer: .init(method: .adamD, lr: 1e-3, b0: 0.0031623)),
            .init(name: "Clip-AdamD", optimizer: .init(method: .clipAdamD, lr: 1e-3, clip: 1, b0: 0.0031623, clipPerTensor: true)),
            .init(name: "AdaGrad", optimizer: .init(method: .adagrad, lr: 0.03, b0: 0.1)),
            .init(name: "Clip-AdaGrad", optimizer: .init(method: .clipAdagrad, lr: 0.03, clip: 1, b0: 0.1, clipPerTensor: true)),
            .init(name: "AdaGradD", optimizer: .init(method: .adagradD, lr: 0.03, b0: 0.1)),
            .init(name: "Clip-RAdaGradD", optimizer: .init(method: .clipRAdagradD, lr: 0.03, clip: 1, eta: 1, b0: 0.1,
                                                           coordinateWise: true, clipPerTensor: true)),
        ],
        noiseOptimizer: .init(method: .adam, lr: 1e-3),
        quick: .init(data: .sample, steps: 300, seeds: 3, batch: 16, evalEvery: 50, evalBatches: 4,
                     noiseCheckpoints: [0, 300], noiseSamples: 200, noiseFullBatches: 0),
        full: .init(data: .full, steps: 2000, seeds: 10, batch: 32, evalEvery: 100, evalBatches: 16,
                    noiseCheckpoints: [0, 500, 2000], noiseSamples: 1000, noiseFullBatches: 0))

    static let defaults = HeavyTailedClippingConfig(paperQuadratic: paperDefaults, charLM: charLMDefaults, synthetic: SyntheticConfig(
        problem: .init(dimension: 10, mu: 1, l: 1, start: 1),
        noises: [NoiseSpec(kind: .gaussian), NoiseSpec(kind: .studentT, tail: 1.5), NoiseSpec(kind: .alphaStable, tail: 1.5)],
        methods: [
            .init(name: "SGD", optimizer: .init(method: .sgd, lr: 0.01)),
            .init(name: "Clip-SGD", optimizer: .init(method: .clipSGD, lr: 0.01, clip: 1)),
            .init(name: "AdaGrad", optimizer: .init(method: .adagradNorm, lr: 1, b0: 1)),
            .init(name: "AdaGradD", optimizer: .init(method: .adagradNormD, lr: 1, b0: 1)),
            .init(name: "Clip-AdaGrad", optimizer: .init(method: .clipAdagradNorm, lr: 1, clip: 1, b0: 1)),
            .init(name: "Clip-RAdaGradD", optimizer: .init(method: .clipRAdagradD, lr: 1, clip: 1, eta: 1, b0: 1)),
            .init(name: "Adam", optimizer: .init(method: .adam, lr: 0.01)),
            .init(name: "Clip-Adam", optimizer: .init(method: .clipAdam, lr: 0.01, clip: 1)),
        ],
        quick: .init(steps: 500, seeds: 40, logEvery: 10),
        full: .init(steps: 2000, seeds: 300, logEvery: 20)))
}
