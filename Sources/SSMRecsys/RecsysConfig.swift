import Engine
import Suite
import Tasks

/// What one training sequence is (`InteractionSequences`): a window whose every position is a
/// target, or RecBole's prefix augmentation, one sample per (prefix, next item) pair.
enum TrainingSamples: String, Codable, Sendable, CaseIterable, NamedChoice { case windows, prefixes }

extension InteractionSequences {
    func trainingSamples(_ kind: TrainingSamples, maxLength: Int) -> [Window] {
        kind == .windows ? trainingWindows(maxLength: maxLength) : trainingPrefixes(maxLength: maxLength)
    }
}

/// What a training batch counts to `batch`: samples (windows or prefixes), or the targets they
/// hold — a window holds up to maxLength targets, so 256 windows are anywhere from a few hundred to
/// ~12 800 targets, while prefix batches always hold `batch` targets.
enum BatchUnit: String, Codable, Sendable, CaseIterable, NamedChoice {
    case samples, targets

    /// What each sample counts toward a batch (`QualityExperiment.batches`): nil for 1 each.
    func weights(_ samples: [InteractionSequences.Window]) -> [Int]? {
        self == .targets ? samples.map { $0.targets.count { $0 > 0 } } : nil
    }
}

/// Experiment `quality`: train every model with early stopping and rank all items.
struct QualitySweep: Codable, Sendable {
    var data: DataChoice
    var maxLength: Int
    /// Training sequences per step: windows (several targets each) or prefixes (one each).
    var batch: Int
    /// Windows when unset.
    var samples: TrainingSamples?
    /// Samples when unset.
    var batchBy: BatchUnit?
    var maxEpochs: Int
    /// Epochs without a better validation NDCG@10 before training stops.
    var patience: Int
    var optimizer: OptimizerSpec
    var seeds: Int
    /// Seeds for the named models instead of `seeds` (a costly variant run fewer times).
    var seedsPerModel: [String: Int]?

    func seeds(of model: RecommenderSpec) -> Int { model.kind == .popularity ? 1 : seedsPerModel?[model.name] ?? seeds }

    func validate(_ scale: String, models known: [RecommenderSpec]) throws {
        let check = ConfigCheck("ssm-recsys quality")
        try check.counts(["maxLength": maxLength], in: scale, minimum: 2)
        try check.counts(["batch": batch, "maxEpochs": maxEpochs, "patience": patience], in: scale)
        try check.seeds(["seeds": seeds], in: scale)
        for (name, count) in (seedsPerModel ?? [:]).sorted(by: { $0.key < $1.key }) {
            try check(known.contains { $0.name == name },
                      "\(scale).seedsPerModel names '\(name)', which is not a model (models: \(known.map(\.name).joined(separator: ", ")))")
            try check.seeds(["seedsPerModel.\(name)": count], in: scale)
        }
        try ConfigCheck("\(check.context) \(scale).optimizer") { _ = try optimizer.make() }
    }
}

/// Experiment `efficiency`: time and memory at the default length on the real data, then on
/// synthetic full-length sequences of growing length.
struct EfficiencySweep: Codable, Sendable {
    var data: DataChoice
    /// The default length and the training samples and batches the quality runs use.
    var maxLength: Int
    var batch: Int
    /// Windows, counted in samples, when unset.
    var samples: TrainingSamples?
    var batchBy: BatchUnit?
    /// Lengths of the scaling measurement and its batch (sequences per step).
    var lengths: [Int]
    var scalingBatch: Int
    /// Timed training steps per length (after one untimed warm-up step).
    var steps: Int
    /// Measurements per model (seeds 0, 1, …), 1 when unset; the runner alternates the models
    /// within each repeat, so the machine's drift over minutes falls on both alike.
    var repeats: Int?

    var repeatCount: Int { repeats ?? 1 }

    func validate(_ scale: String) throws {
        let check = ConfigCheck("ssm-recsys efficiency")
        try check.counts(["maxLength": maxLength], in: scale, minimum: 2)
        try check.counts(["batch": batch, "scalingBatch": scalingBatch, "steps": steps, "repeats": repeatCount], in: scale)
        try check(lengths.count >= 2 && lengths.allSatisfy { (2...ConfigCheck.largestCount).contains($0) } && lengths == lengths.sorted()
                  && Set(lengths).count == lengths.count,
                  "\(scale).lengths must be at least two increasing values ≥ 2, got \(lengths)")
    }
}

struct RecsysConfig: Codable, Sendable {
    struct Scales<T: Codable & Sendable>: Codable, Sendable, ScaledSweeps {
        var quick: T
        var full: T
    }

    var models: [RecommenderSpec]
    var quality: Scales<QualitySweep>
    var efficiency: Scales<EfficiencySweep>
    var trainingSettings: [TrainingSetting]
    var adaptive: Scales<AdaptiveSweep>
    var orpoMethods: [FineTuningMethod]
    var orpo: Scales<PreferenceSweep>
    var ablations: [AblationVariant]
    var ablation: Scales<QualitySweep>
}

extension RecsysConfig: ValidatedConfig {
    /// Both scales are checked whichever one runs: a broken full sweep is a broken file.
    func validate() throws {
        let check = ConfigCheck("ssm-recsys")
        try check(!models.isEmpty, "models must list at least one model")
        try check.unique(models.map(\.name), "model")
        for model in models { try model.validate("ssm-recsys") }
        try check(!trainingSettings.isEmpty, "trainingSettings must list at least one setting")
        try check.unique(trainingSettings.map(\.name), "trainingSettings")
        for setting in trainingSettings { try setting.validate() }
        try check(!orpoMethods.isEmpty, "orpoMethods must list at least one method")
        try check.unique(orpoMethods.map(\.name), "orpoMethods")
        for method in orpoMethods { try method.validate() }
        try quality.quick.validate("quick", models: models)
        try quality.full.validate("full", models: models)
        try efficiency.quick.validate("quick")
        try efficiency.full.validate("full")
        try adaptive.quick.validate("quick", models: models)
        try adaptive.full.validate("full", models: models)
        try orpo.quick.validate("quick", models: models)
        try orpo.full.validate("full", models: models)
        try check(!ablations.isEmpty, "ablations must list at least one variant")
        try check.unique(ablations.map(\.name), "ablations")
        for variant in ablations { try variant.validate() }
        try ConfigCheck("ssm-recsys ablation")(ablation.quick.seedsPerModel == nil && ablation.full.seedsPerModel == nil,
                                                "seedsPerModel does not apply to the ablation (every variant runs `seeds` seeds)")
        try ablation.quick.validate("quick", models: models)
        try ablation.full.validate("full", models: models)
    }

    /// The trained (not popularity) model named `name`; nil when there is none.
    func trainedModel(_ name: String) -> RecommenderSpec? {
        models.first { $0.name == name && $0.kind != .popularity }
    }
}
