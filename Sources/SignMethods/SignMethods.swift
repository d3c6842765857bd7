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
/// `reproductions/sign-methods/experiments.yaml`, the only place the sweep is written. Deviations
/// from the paper are listed in that folder's README.
public struct SignMethods: Reproduction {
    public init() {}

    public var id: String { "sign-methods" }
    public var title: String { "Sign operator for coping with heavy-tailed noise" }
    public var citation: String { "arXiv:2502.07923" }
    /// None could be found (see the README's deviations).
    public var officialCode: [CodeLink] { [] }
    public var datasets: [String] { ["tinyshakespeare"] }

    public func experiments(scale: Scale, configDirectory: URL) throws -> [Experiment] {
        let config = try ConfigFile.load(SignMethodsConfig.self, from: configDirectory.appendingPathComponent("experiments.yaml"))
        return [
            try SignSyntheticExperiment.make(config.synthetic, scale: scale, paper: id),
            try ComparisonExperiment.make(config.comparison, scale: scale, paper: id),
            try LanguageModelExperiment.make(config.lm, scale: scale, paper: id),
        ]
    }

    public var figures: [FigureRequest] { SignFigures.requests + SignFigures.languageModel }
    public var tables: [TableRequest] { SignTables.requests }
    public var claims: [Claim] { SignClaims.all }

}
