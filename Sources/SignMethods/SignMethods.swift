import Engine
import Figures
import Foundation
import Suite

/// "Sign Operator for Coping with Heavy-Tailed Noise: High Probability Convergence Bounds with
/// Extensions to Distributed Optimization and Comparison Oracle" (Kornilov, Zmushko, Semenov,
/// Gasnikov, Beznosikov; arXiv:2502.07923).
///
/// Experiments `synthetic` (first-order sign methods and majority vote under heavy-tailed gradient
/// noise), `comparison` (zeroth-order methods with a comparison oracle) and `lm` (a small
/// LLaMA-style language model with AdamW, Clip-SGD, M-SignSGD and majority-vote M-SignSGD). The sweeps are read from
/// `reproductions/sign-methods/experiments.yaml`; `defaults` is the same sweep, used when the file
/// is absent. Deviations from the paper are listed in that folder's README.
public struct SignMethods: Reproduction {
    public init() {}

    public var id: String { "sign-methods" }
    public var title: String { "Sign operator for coping with heavy-tailed noise" }
    public var citation: String { "arXiv:2502.07923" }
    /// None could be found (see the README's deviations).
    public var officialCode: [CodeLink] { [] }
    public var datasets: [String] { ["tinyshakespeare"] }

    public func experiments(scale: Scale, configDirectory: URL) throws -> [Experiment] {
        let config = try ConfigFile.load(SignMethodsConfig.self, from: configDirectory.appendingPathComponent("experiments.yaml")) ?? Self.defaults
        return [
            try SignSyntheticExperiment.make(config.synthetic, scale: scale, paper: id),
            try ComparisonExperiment.make(config.comparison, scale: scale, paper: id),
            try LanguageModelExperiment.make(config.lm, scale: scale, paper: id),
        ]
    }

    public var figures: [FigureRequest] { SignFigures.requests + SignFigures.languageModel }
    public var tables: [TableRequest] {
        SignTables.requests + [ClaimTable.request(claims, experiments: [SignSyntheticExperiment.id, ComparisonExperiment.id, LanguageModelExperiment.id])]
    }
    public var claims: [Claim] { SignClaims.all }

    static let defaults = SignMethodsConfig(
        synthetic: SignSyntheticConfig(
            problem: .init(dimension: 100, mu: 0.1, l: 1, start: 1),
            noises: [NoiseSpec(kind: .gaussian), NoiseSpec(kind: .studentT, tail: 1.5), NoiseSpec(kind: .alphaStable, tail: 1.2),
                     NoiseSpec(kind: .alphaStable, tail: 1.5)],
            methods: [
                .init(name: "SGD", optimizer: .init(method: .sgd, lr: 0.05)),
                .init(name: "Clip-SGD", optimizer: .init(method: .clipSGD, lr: 0.05, clip: 10)),
                .init(name: "NSGD", optimizer: .init(method: .normalizedSGD, lr: 0.02)),
                .init(name: "SignSGD", optimizer: .init(method: .signSGD, lr: 0.002)),
                .init(name: "M-SignSGD", optimizer: .init(method: .mSignSGD, lr: 0.002, beta: 0.9)),
                .init(name: "SignSGD B=11", optimizer: .init(method: .signSGD, lr: 0.002), batch: 11),
                .init(name: "MV-SignSGD M=3", optimizer: .init(method: .signSGD, lr: 0.002), workers: 3),
                .init(name: "MV-SignSGD M=5", optimizer: .init(method: .signSGD, lr: 0.002), workers: 5),
                .init(name: "MV-SignSGD M=11", optimizer: .init(method: .signSGD, lr: 0.002), workers: 11),
                .init(name: "SGD M=11 (float)", optimizer: .init(method: .sgd, lr: 0.05), workers: 11),
            ],
            quick: .init(steps: 1000, seeds: 40, logEvery: 20),
            full: .init(steps: 2000, seeds: 300, logEvery: 20)),
        comparison: ComparisonConfig(
            problem: .init(dimension: 10, mu: 1, l: 1, start: 1), smoothing: 0.01,
            noises: [NoiseSpec(kind: .gaussian, sigma: 0.001), NoiseSpec(kind: .alphaStable, sigma: 0.001, tail: 1.5)],
            methods: [
                .init(name: "CompsSGD", kind: .comparison, lr: 0.01, votes: 1),
                .init(name: "MV-CompsSGD M=3", kind: .comparison, lr: 0.01, votes: 3),
                .init(name: "MV-CompsSGD M=5", kind: .comparison, lr: 0.01, votes: 5),
                .init(name: "two-point", kind: .twoPoint, lr: 0.01),
            ],
            quick: .init(calls: 10000, seeds: 40, logEvery: 100),
            full: .init(calls: 20000, seeds: 300, logEvery: 200)),
        lm: SignLMConfig(
            model: .init(layers: 2, width: 64, heads: 4, context: 64, style: .llama), workers: 4,
            methods: [
                .init(name: "AdamW", optimizer: .init(method: .adamw, lr: 3e-3, weightDecay: 0.01)),
                .init(name: "Clip-SGD", optimizer: .init(method: .clipSGD, lr: 0.5, clip: 1)),
                .init(name: "M-SignSGD", optimizer: .init(method: .mSignSGD, lr: 1e-3, beta: 0.9)),
                .init(name: "MV-M-SignSGD M=4", optimizer: .init(method: .mSignSGD, lr: 1e-3, beta: 0.9), vote: true),
            ],
            quick: .init(data: .sample, steps: 300, seeds: 2, batch: 16, evalEvery: 50, evalBatches: 4),
            full: .init(data: .full, steps: 2000, seeds: 3, batch: 32, evalEvery: 100, evalBatches: 16)))
}
