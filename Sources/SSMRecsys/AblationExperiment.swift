import Suite
import Tasks

/// One change to a model or its training, trained alone: what moves our numbers toward RecBole's
/// (issue: the baselines next to RecBole). `batch`, `batchBy` and `samples` replace the sweep's.
struct AblationVariant: Codable, Sendable, Equatable {
    var name: String
    var model: RecommenderSpec
    var samples: TrainingSamples?
    var batch: Int?
    var batchBy: BatchUnit?

    func validate() throws {
        try model.validate("ssm-recsys")
        let check = ConfigCheck("ssm-recsys ablation '\(name)'")
        try check.counts(["batch": batch ?? 1])
        try check(model.kind != .popularity, "the popularity ranking has nothing to ablate")
    }
}

/// Experiment `ablation`: each variant trained with the quality protocol's loss, optimizer and early
/// stopping, one factor changed at a time along a path from the earlier full-scale protocol
/// (windows of 256, SASRec's pre-norm block) to RecBole's, which full-scale `quality` now runs:
/// SASRec's post-norm blocks and RecBole's dropouts, then its prefix augmentation (one sample per
/// target, 2048 per step); GRU4Rec with and without biases, then prefixes.
enum AblationExperiment {
    static let id = "ablation"

    static func group(_ variant: String) -> RunGroup { RunGroup(["variant": variant]) }

    static func make(_ config: RecsysConfig, scale: Scale, paper: String) throws -> Experiment {
        let sweep = config.ablation.sweep(scale)
        let runs = try config.ablations.flatMap { variant in
            var own = sweep
            own.batch = variant.batch ?? sweep.batch
            own.samples = variant.samples ?? sweep.samples
            own.batchBy = variant.batchBy ?? sweep.batchBy
            return try (0..<sweep.seeds).map { seed in
                try RunConfig(paper: paper, experiment: id, group: group(variant.name), seed: seed, typed: QualityExperiment.Run(variant.model, own))
            }
        }
        let title = "Ablations toward RecBole's protocol on \(sweep.data == .sample ? "the synthetic sample" : "SASRec's Video.txt"): one change at a time, early stopping on validation NDCG@10"
        return Experiment(id: id, title: title, runs: runs, parameters: QualityExperiment.Run.self, exactMetrics: ["parameters"],
                          execute: QualityExperiment.execute)
    }
}
