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
/// The sweeps are read from `reproductions/ssm-recsys/experiments.yaml`, the only place they are
/// written.
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
        let config = try ConfigFile.load(RecsysConfig.self, from: configDirectory.appendingPathComponent("experiments.yaml"))
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

}
