import Engine
import Foundation
import Suite

/// "Exploring Applications of State Space Models and Advanced Training Techniques in Sequential
/// Recommendations: A Comparative Study on Efficiency and Performance" (Obozov, Baderko, Kulibaba,
/// Kutuzov, Gasnikov; arXiv:2408.05606), on its SSM recommender, Mamba4Rec (Liu et al.,
/// arXiv:2403.03900): Mamba4Rec against SASRec and GRU4Rec on Amazon Video Games, quality by full
/// ranking (`quality`) and cost, including its growth with the sequence length (`efficiency`).
/// The sweeps are read from `reproductions/ssm-recsys/experiments.yaml`; `defaults` is the same
/// sweep, used when the file is absent.
public struct SSMRecsys: Reproduction {
    public init() {}

    public var id: String { "ssm-recsys" }
    public var title: String { "State space models for sequential recommendation: Mamba4Rec against SASRec and GRU4Rec" }
    public var citation: String { "arXiv:2408.05606 (model: Mamba4Rec, arXiv:2403.03900)" }
    public var datasets: [String] { ["amazon-video-games"] }

    public func experiments(scale: Scale, configDirectory: URL) throws -> [Experiment] {
        let config = try ConfigFile.load(RecsysConfig.self, from: configDirectory.appendingPathComponent("experiments.yaml")) ?? Self.defaults
        let names = config.models.map(\.name)
        guard Set(names).count == names.count else { throw SuiteError("ssm-recsys: model names must be unique, got \(names)") }
        return [try QualityExperiment.make(config, scale: scale, paper: id), try EfficiencyExperiment.make(config, scale: scale, paper: id)]
    }

    public var figures: [FigureRequest] { RecsysFigures.requests }
    public var tables: [TableRequest] { RecsysTables.requests }
    public var claims: [Claim] { RecsysClaims.all }

    /// Model names the figures, tables and claims read.
    static let mamba = "Mamba4Rec", mamba2 = "Mamba4Rec 2L", sasrec = "SASRec", gru = "GRU4Rec", popularity = "Popularity"

    static let defaults = RecsysConfig(
        models: [
            RecommenderSpec(name: mamba, kind: .mamba4rec),
            RecommenderSpec(name: mamba2, kind: .mamba4rec, layers: 2),
            RecommenderSpec(name: sasrec, kind: .sasrec),
            RecommenderSpec(name: gru, kind: .gru4rec),
            RecommenderSpec(name: popularity, kind: .popularity),
        ],
        quality: .init(
            quick: QualitySweep(data: .sample, maxLength: 50, batch: 64, maxEpochs: 40, patience: 5,
                                optimizer: OptimizerSpec(method: .adam, lr: 1e-3), seeds: 2),
            full: QualitySweep(data: .full, maxLength: 50, batch: 256, maxEpochs: 20, patience: 5,
                               optimizer: OptimizerSpec(method: .adam, lr: 1e-3), seeds: 3, seedsPerModel: [mamba2: 1])),
        efficiency: .init(
            quick: EfficiencySweep(data: .sample, maxLength: 50, batch: 64, lengths: [25, 50, 100, 200], scalingBatch: 8, steps: 3),
            full: EfficiencySweep(data: .full, maxLength: 50, batch: 256, lengths: [50, 100, 200, 400, 800], scalingBatch: 32, steps: 3)))
}
