import Engine
import Suite

/// One model of the comparison; unset fields take the defaults of its official configuration.
struct RecommenderSpec: Codable, Sendable, Hashable {
    enum Kind: String, Codable, Sendable, CaseIterable, NamedChoice {
        case mamba4rec, sasrec, gru4rec
        /// Items ranked by their training frequency: the floor every sequential model must beat.
        case popularity
    }

    var name: String
    var kind: Kind
    var layers: Int?
    var width: Int?
    var dropout: Float?
    /// Mamba: d_state, d_conv, expand.
    var stateSize: Int?
    var convWidth: Int?
    var expand: Int?
    /// SASRec: attention heads and feed-forward width.
    var heads: Int?
    var inner: Int?
    /// SASRec's blocks: `pre` (the paper's formula; default) or `post` (RecBole's, which Mamba4Rec's
    /// paper ran; its unset dropouts then take RecBole's 0.5).
    var norm: SASRecNorm?
    /// SASRec post-norm: dropout of the attention probabilities (RecBole's `attn_dropout_prob`).
    var attentionDropout: Float?
    /// GRU4Rec: biases in the GRU (RecBole has none).
    var bias: Bool?

    enum SASRecNorm: String, Codable, Sendable, CaseIterable, NamedChoice { case pre, post }

    /// The model on `items` real items and sequences of up to `maxLength` (SASRec's positions);
    /// nil for the popularity ranking, which has no parameters.
    func make(items: Int, maxLength: Int, builder: inout ParameterBuilder) -> (any SequentialRecommender)? {
        let d = width ?? 64
        switch kind {
        case .mamba4rec:
            return Mamba4Rec(.init(items: items, layers: layers ?? 1, width: d, stateSize: stateSize ?? 32, convWidth: convWidth ?? 4,
                                   expand: expand ?? 2, dropout: dropout ?? 0.2), builder: &builder)
        case .sasrec:
            let blocks: SASRecEncoder.Blocks = norm == .post
                ? .postNorm(.init(width: d, heads: heads ?? 2, hidden: inner ?? 4 * d, dropout: dropout ?? 0.5,
                                  attentionDropout: attentionDropout ?? 0.5))
                : .preNorm(.init(width: d, heads: heads ?? 2, hidden: inner ?? 4 * d, dropout: dropout ?? 0.2, activation: .exactGELU))
            return SASRecEncoder(.init(items: items, maxLength: maxLength, layers: layers ?? 2, blocks: blocks), builder: &builder)
        case .gru4rec:
            return GRU4Rec(.init(items: items, width: d, hidden: d, dropout: dropout ?? 0.3, bias: bias ?? false), builder: &builder)
        case .popularity:
            return nil
        }
    }

    /// The model and its parameters drawn from `rng`'s "model" stream; an error for the popularity
    /// ranking, which has neither.
    func build(items: Int, maxLength: Int, rng: RNG) throws -> (model: any SequentialRecommender, store: ParameterStore) {
        var builder = ParameterBuilder(rng: rng.stream("model"))
        guard let model = make(items: items, maxLength: maxLength, builder: &builder) else {
            throw SuiteError("ssm-recsys: '\(name)' (\(kind.rawValue)) has no model to train or time")
        }
        return (model, builder.build())
    }

    func validate() throws {
        let check = ConfigCheck("ssm-recsys model '\(name)'")
        try check.counts(["layers": layers ?? 1, "width": width ?? 64, "stateSize": stateSize ?? 1, "convWidth": convWidth ?? 1,
                          "expand": expand ?? 1, "heads": heads ?? 2, "inner": inner ?? 1], maximum: 65_536)
        try check((0..<1).contains(dropout ?? 0), "dropout must lie in [0, 1), got \(dropout ?? 0)")
        try check((0..<1).contains(attentionDropout ?? 0), "attentionDropout must lie in [0, 1), got \(attentionDropout ?? 0)")
        try check(norm == nil || kind == .sasrec, "norm (pre or post) applies to sasrec only, not \(kind.rawValue)")
        try check(attentionDropout == nil || (kind == .sasrec && norm == .post),
                  "attentionDropout applies to sasrec with norm: post only (the pre-norm blocks drop no attention probabilities)")
        try check(bias == nil || kind == .gru4rec, "bias applies to gru4rec only, not \(kind.rawValue)")
        try check((width ?? 64) % (heads ?? 2) == 0, "width \(width ?? 64) must be divisible by heads \(heads ?? 2)")
    }
}

/// What one training sequence is (`InteractionSequences`): a window whose every position is a
/// target, or RecBole's prefix augmentation, one sample per (prefix, next item) pair.
enum TrainingSamples: String, Codable, Sendable, CaseIterable, NamedChoice { case windows, prefixes }

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
        for model in models { try model.validate() }
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
