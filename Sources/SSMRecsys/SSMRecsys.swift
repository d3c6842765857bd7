import Engine
import Foundation
import Suite

/// "Exploring Applications of State Space Models and Advanced Training Techniques in Sequential
/// Recommendations: A Comparative Study on Efficiency and Performance" (Obozov, Baderko, Kulibaba,
/// Kutuzov, Gasnikov; arXiv:2408.05606), on its SSM recommender, Mamba4Rec (Liu et al.,
/// arXiv:2403.03900): Mamba4Rec against SASRec and GRU4Rec on Amazon Video Games, quality by full
/// ranking (`quality`) and cost, including its growth with the sequence length (`efficiency`); the
/// paper's training techniques: adaptive batch-size and step-size methods (`adaptive`) and ORPO
/// fine-tuning (`orpo-pretrain`, `orpo`).
/// The sweeps are read from `reproductions/ssm-recsys/experiments.yaml`; `defaults` is the same
/// sweep, used when the file is absent.
public struct SSMRecsys: Reproduction {
    public init() {}

    public var id: String { "ssm-recsys" }
    public var title: String { "State space models for sequential recommendation: Mamba4Rec against SASRec and GRU4Rec; adaptive batch and step size; ORPO" }
    public var citation: String { "arXiv:2408.05606 (model: Mamba4Rec, arXiv:2403.03900)" }
    /// No code of the study itself is public; these are the model's and ORPO's, which it follows.
    public var officialCode: [CodeLink] {
        [CodeLink("Mamba4Rec, the model (on RecBole)", url: "https://github.com/chengkai-liu/Mamba4Rec"),
         CodeLink("ORPO, the fine-tuning loss", url: "https://github.com/xfactlab/orpo")]
    }
    public var datasets: [String] { ["amazon-video-games"] }

    public func experiments(scale: Scale, configDirectory: URL) throws -> [Experiment] {
        let config = try ConfigFile.load(RecsysConfig.self, from: configDirectory.appendingPathComponent("experiments.yaml")) ?? Self.defaults
        return [try QualityExperiment.make(config, scale: scale, paper: id), try EfficiencyExperiment.make(config, scale: scale, paper: id),
                try AdaptiveExperiment.make(config, scale: scale, paper: id), try AblationExperiment.make(config, scale: scale, paper: id)]
            + (try PreferenceExperiment.make(config, scale: scale, paper: id))
    }

    public var figures: [FigureRequest] { RecsysFigures.requests }
    public var tables: [TableRequest] { RecsysTables.requests }
    public var claims: [Claim] { RecsysClaims.all }

    /// Model names the figures, tables and claims read.
    static let mamba = "Mamba4Rec", mamba2 = "Mamba4Rec 2L", sasrec = "SASRec", gru = "GRU4Rec", popularity = "Popularity"
    /// Training settings and fine-tuning methods the figures and claims read.
    static let adam = "Adam", adamNorm = "Adam + norm test", adamInnerProduct = "Adam + inner-product test"
    static let usgm = "USGM", usgmNorm = "USGM + norm test", crossEntropy = "CE"

    static let defaults = RecsysConfig(
        models: [
            RecommenderSpec(name: mamba, kind: .mamba4rec),
            RecommenderSpec(name: mamba2, kind: .mamba4rec, layers: 2),
            RecommenderSpec(name: sasrec, kind: .sasrec, norm: .post),
            RecommenderSpec(name: gru, kind: .gru4rec),
            RecommenderSpec(name: popularity, kind: .popularity),
        ],
        quality: .init(
            quick: QualitySweep(data: .sample, maxLength: 50, batch: 64, maxEpochs: 40, patience: 5,
                                optimizer: OptimizerSpec(method: .adam, lr: 1e-3), seeds: 2),
            full: QualitySweep(data: .full, maxLength: 50, batch: 2048, batchBy: .targets, maxEpochs: 300, patience: 10,
                               optimizer: OptimizerSpec(method: .adam, lr: 1e-3), seeds: 3, seedsPerModel: [mamba2: 1])),
        efficiency: .init(
            quick: EfficiencySweep(data: .sample, maxLength: 50, batch: 64, lengths: [50, 100, 200, 400], scalingBatch: 32, steps: 3),
            full: EfficiencySweep(data: .full, maxLength: 50, batch: 2048, batchBy: .targets, lengths: [50, 100, 200, 400, 800],
                                  scalingBatch: 32, steps: 3)),
        trainingSettings: [
            TrainingSetting(name: adam, optimizer: OptimizerSpec(method: .adam, lr: 1e-3)),
            TrainingSetting(name: adamNorm, optimizer: OptimizerSpec(method: .adam, lr: 1e-3), batchTest: BatchTestSpec(kind: .norm, theta: 0.9, window: 5)),
            TrainingSetting(name: adamInnerProduct, optimizer: OptimizerSpec(method: .adam, lr: 1e-3),
                            batchTest: BatchTestSpec(kind: .innerProduct, theta: 0.9, nu: 5.84, window: 5)),
            TrainingSetting(name: usgm, optimizer: OptimizerSpec(method: .universalSGD, lr: 1, radius: 1)),
            TrainingSetting(name: usgmNorm, optimizer: OptimizerSpec(method: .universalSGD, lr: 1, radius: 1),
                            batchTest: BatchTestSpec(kind: .norm, theta: 0.9, window: 5)),
        ],
        adaptive: .init(
            quick: AdaptiveSweep(data: .sample, maxLength: 50, models: [mamba, sasrec], batch: 64, adaptiveStart: 16, maxBatch: 512,
                                 microBatches: 4, epochs: 8, evaluations: 2, seeds: 2),
            full: AdaptiveSweep(data: .full, maxLength: 50, models: [mamba, sasrec], batch: 256, adaptiveStart: 64, maxBatch: 2048,
                                microBatches: 8, epochs: 4, evaluations: 3, seeds: 2)),
        orpoMethods: [
            FineTuningMethod(name: crossEntropy),
            FineTuningMethod(name: "ORPO hardest λ=0.1", rejected: .hardest, lambda: 0.1),
            FineTuningMethod(name: "ORPO hardest λ=0.5", rejected: .hardest, lambda: 0.5),
            FineTuningMethod(name: "ORPO hardest λ=1", rejected: .hardest, lambda: 1),
            FineTuningMethod(name: "ORPO sampled λ=0.1", rejected: .sampled, lambda: 0.1),
            FineTuningMethod(name: "ORPO sampled λ=0.5", rejected: .sampled, lambda: 0.5),
            FineTuningMethod(name: "ORPO sampled λ=1", rejected: .sampled, lambda: 1),
        ],
        orpo: .init(
            quick: PreferenceSweep(data: .sample, maxLength: 50, model: mamba, batch: 64, pretrainEpochs: 10,
                                   pretrainOptimizer: OptimizerSpec(method: .adam, lr: 1e-3), epochs: 3,
                                   optimizer: OptimizerSpec(method: .adam, lr: 1e-3), seeds: 2),
            full: PreferenceSweep(data: .full, maxLength: 50, model: mamba, batch: 256, pretrainEpochs: 8,
                                  pretrainOptimizer: OptimizerSpec(method: .adam, lr: 1e-3), epochs: 2,
                                  optimizer: OptimizerSpec(method: .adam, lr: 1e-3), seeds: 3)),
        ablations: [
            AblationVariant(name: "SASRec", model: RecommenderSpec(name: sasrec, kind: .sasrec)),
            AblationVariant(name: "SASRec post-norm", model: RecommenderSpec(name: sasrec, kind: .sasrec, norm: .post)),
            AblationVariant(name: "SASRec post-norm, dropout 0.2",
                            model: RecommenderSpec(name: sasrec, kind: .sasrec, dropout: 0.2, norm: .post, attentionDropout: 0.2)),
            AblationVariant(name: "SASRec post-norm, 2048 targets per step", model: RecommenderSpec(name: sasrec, kind: .sasrec, norm: .post),
                            batch: 2048, batchBy: .targets),
            AblationVariant(name: "SASRec post-norm, prefixes", model: RecommenderSpec(name: sasrec, kind: .sasrec, norm: .post),
                            samples: .prefixes, batch: 2048),
            AblationVariant(name: "GRU4Rec", model: RecommenderSpec(name: gru, kind: .gru4rec)),
            AblationVariant(name: "GRU4Rec with biases", model: RecommenderSpec(name: gru, kind: .gru4rec, bias: true)),
            AblationVariant(name: "GRU4Rec, 2048 targets per step", model: RecommenderSpec(name: gru, kind: .gru4rec), batch: 2048, batchBy: .targets),
            AblationVariant(name: "GRU4Rec, prefixes", model: RecommenderSpec(name: gru, kind: .gru4rec), samples: .prefixes, batch: 2048),
        ],
        ablation: .init(
            quick: QualitySweep(data: .sample, maxLength: 50, batch: 64, maxEpochs: 5, patience: 2,
                                optimizer: OptimizerSpec(method: .adam, lr: 1e-3), seeds: 1),
            full: QualitySweep(data: .full, maxLength: 50, batch: 256, maxEpochs: 300, patience: 10,
                               optimizer: OptimizerSpec(method: .adam, lr: 1e-3), seeds: 1)))
}
