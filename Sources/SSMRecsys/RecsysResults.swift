import Engine
import Suite

/// Reading the runs by model name, as figures, tables and claims do.
extension ResultSet {
    /// The model names of an experiment, in sweep order.
    func models(_ experiment: String) throws -> [String] {
        try groups(experiment, by: "model").map(\.value)
    }

    func requireModel(_ experiment: String, _ model: String) throws {
        guard try models(experiment).contains(model) else {
            throw SuiteError("the \(experiment) sweep has no model '\(model)' (has: \(try models(experiment).joined(separator: ", ")))")
        }
    }

    /// A model's test `metric` (e.g. "ndcg@10") at its best-validation epoch, per seed.
    func bestTest(_ model: String, _ metric: String) throws -> [Double] {
        try requireModel(QualityExperiment.id, model)
        return try finalValues(QualityExperiment.id, group: QualityExperiment.group(model).name, metric: "best_test_\(metric)")
    }

    func meanBestTest(_ model: String, _ metric: String) throws -> Double { Summary(try bestTest(model, metric)).mean }

    /// A model's efficiency measurements: every time the median over the repeats; parameters and
    /// memory from the first repeat (the length sweep's are the same every repeat, the epoch's
    /// costliest step depends on the seed's batches).
    func efficiency(_ model: String) throws -> EfficiencyResult {
        let all = try efficiencyRepeats(model).values
        func median(_ value: (EfficiencyResult) -> Double) -> Double { Quantiles.of(all.map(value), 0.5) }
        var result = all[0]
        result.repeats = all.count
        result.secondsPerEpoch = median(\.secondsPerEpoch)
        result.inferencePer1000 = median(\.inferencePer1000)
        result.trainSeconds = result.lengths.indices.map { i in median { $0.trainSeconds[i] } }
        result.inferenceSeconds = result.lengths.indices.map { i in median { $0.inferenceSeconds[i] } }
        return result
    }

    /// A model's efficiency run of each repeat, in seed order.
    func efficiencyRepeats(_ model: String) throws -> (seeds: [Int], values: [EfficiencyResult]) {
        try requireModel(EfficiencyExperiment.id, model)
        let group = EfficiencyExperiment.group(model).name
        let summaries = try summaries(EfficiencyExperiment.id, group: group).sorted { $0.config.seed < $1.config.seed }
        guard !summaries.isEmpty else { throw SuiteError("\(paper)/\(EfficiencyExperiment.id)/\(group) has no run") }
        return (summaries.map(\.config.seed), try summaries.map { try efficiency(group, $0) })
    }

    private func efficiency(_ group: String, _ summary: RunSummary) throws -> EfficiencyResult {
        let table = try store.metrics(summary.config)
        let (lengths, trainBytes, inferenceBytes) = (try table.required("step"), try table.required("train_peak_bytes"),
                                                     try table.required("inference_peak_bytes"))
        let m = summary.measurements ?? [:]
        func measured(_ key: String) throws -> Double {
            guard let v = m[key] else {
                throw SuiteError("\(paper)/\(EfficiencyExperiment.id)/\(group): summary.json lacks the measurement '\(key)'; re-run it with --force")
            }
            return v
        }
        let ls = lengths.map { Int($0) }
        return EfficiencyResult(
            parameters: summary.final["parameters"] ?? .nan, trainStepBytes: summary.final["train_step_peak_bytes"] ?? .nan,
            inferenceBytes: summary.final["inference_peak_bytes"] ?? .nan, secondsPerEpoch: try measured("seconds_per_epoch"),
            inferencePer1000: try measured("inference_seconds_per_1000_users"), lengths: ls,
            trainSeconds: try ls.map { try measured(EfficiencyExperiment.trainKey($0)) },
            inferenceSeconds: try ls.map { try measured(EfficiencyExperiment.inferenceKey($0)) },
            trainBytes: trainBytes, inferenceBytesAtLength: inferenceBytes, repeats: 1)
    }
}

/// A group of trainings with early stopping (quality or ablation): its test metrics at the best
/// validation epoch, mean over seeds, and how long it trained.
struct TrainedGroup {
    var seeds: Int
    var hr: Double, ndcg: Double, mrr: Double
    var bestEpochs: [Int]
    var epochs: [Int]
    var maxEpochs: Int
    var secondsPerEpoch: Double

    /// "patience" when every seed stopped early, else how many ran into the epoch cap.
    var stopped: String {
        let capped = epochs.filter { $0 >= maxEpochs }.count
        return capped == 0 ? "patience" : "epoch cap (\(capped)/\(epochs.count) seeds)"
    }
}

extension ResultSet {
    func trainedGroup(_ experiment: String, group: String) throws -> TrainedGroup {
        func mean(_ metric: String) throws -> Double { Summary(try finalValues(experiment, group: group, metric: metric)).mean }
        let summaries = try self.summaries(experiment, group: group)
        let seconds = summaries.compactMap { $0.measurements?["seconds_per_epoch"] }
        guard seconds.count == summaries.count, let first = try runs(experiment, group: group).first else {
            throw SuiteError("\(paper)/\(experiment)/\(group): a run lacks the measurement 'seconds_per_epoch'; re-run it with --force")
        }
        return TrainedGroup(seeds: summaries.count, hr: try mean("best_test_hr@10"), ndcg: try mean("best_test_ndcg@10"),
                            mrr: try mean("best_test_mrr@10"),
                            bestEpochs: try finalValues(experiment, group: group, metric: "best_epoch").map { Int($0) },
                            epochs: try finalValues(experiment, group: group, metric: "epochs").map { Int($0) },
                            maxEpochs: try first.typed(QualityExperiment.Run.self).maxEpochs, secondsPerEpoch: Summary(seconds).mean)
    }
}

/// One model's costs: at the default length, and per length of the sweep.
struct EfficiencyResult {
    var parameters: Double
    var trainStepBytes: Double
    var inferenceBytes: Double
    var secondsPerEpoch: Double
    var inferencePer1000: Double
    var lengths: [Int]
    /// Per length: median seconds per training step, inference seconds per 1000 users, peak bytes.
    var trainSeconds: [Double]
    var inferenceSeconds: [Double]
    var trainBytes: [Double]
    var inferenceBytesAtLength: [Double]
    /// How many runs the times are the median of.
    var repeats: Int

    var trainTimeExponent: Double { EfficiencyExperiment.growthExponent(lengths, trainSeconds) }
    var inferenceTimeExponent: Double { EfficiencyExperiment.growthExponent(lengths, inferenceSeconds) }
    var trainMemoryExponent: Double { EfficiencyExperiment.growthExponent(lengths, trainBytes) }
}
