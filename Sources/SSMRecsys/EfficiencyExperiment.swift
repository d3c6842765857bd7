import Dispatch
import Engine
import Foundation
import Suite
import Tasks

/// Experiment `efficiency` (Mamba4Rec §4.3, Table 3; arXiv:2408.05606's latency and memory
/// comparison): per model, at the default length on the experiment's data, the time of one training
/// epoch, inference time per 1000 users (full ranking) and the peak tensor memory of a training
/// step; then, on synthetic full-length sequences of growing length L, the same per step, to see
/// how each cost grows with L. Runs are exclusive: the runner gives them the machine alone.
///
/// In the length sweep the loss is the cross-entropy of the last position only (what RecBole's
/// prefix-augmented training computes per sequence), so the all-items output layer costs the same
/// at every L and the sweep measures the sequence encoder. Memory is what `MemoryMeter` counts:
/// tensors allocated during the step (activations kept for the backward, gradients, scratch), not
/// the parameters and optimizer state that exist before it. Times are medians over the timed steps.
enum EfficiencyExperiment {
    static let id = "efficiency"

    static func group(_ model: String) -> RunGroup { RunGroup(["model": model]) }

    static func trainKey(_ length: Int) -> String { "train_seconds_per_step_L\(length)" }
    static func inferenceKey(_ length: Int) -> String { "inference_seconds_per_1000_users_L\(length)" }

    static func make(_ config: RecsysConfig, scale: Scale, paper: String) throws -> Experiment {
        let sweep = config.efficiency.sweep(scale)
        // Repeat by repeat, every model once: paired measurements taken minutes apart at most.
        let models = config.models.filter { $0.kind != .popularity }
        let runs = try (0..<sweep.repeatCount).flatMap { seed in
            try models.map { try RunConfig(paper: paper, experiment: id, group: group($0.name), seed: seed, typed: Run($0, sweep)) }
        }
        let title = "Cost per model: epoch time, inference, memory at L = \(sweep.maxLength); growth over L = \(sweep.lengths.map(String.init).joined(separator: ", "))"
        return Experiment(id: id, title: title, runs: runs, parameters: Run.self, exclusive: true, exactMetrics: ["parameters"],
                          execute: execute)
    }

    /// One model's measurement.
    struct Run: RunParameters {
        @JSONEncoded var model: RecommenderSpec
        var data: DataChoice
        var maxLength: Int
        var batch: Int
        var lengths: [Int]
        var scalingBatch: Int
        var steps: Int
        /// As `quality`'s: nil unless the sweep chooses otherwise.
        var samples: TrainingSamples?
        var batchBy: BatchUnit?

        init(_ model: RecommenderSpec, _ sweep: EfficiencySweep) {
            self.model = model
            (data, maxLength, batch, lengths, scalingBatch, steps) = (sweep.data, sweep.maxLength, sweep.batch, sweep.lengths, sweep.scalingBatch, sweep.steps)
            (samples, batchBy) = (sweep.samples, sweep.batchBy)
        }
    }

    @Sendable static func execute(_ run: Run, _ context: RunContext) throws {
        let data = try InteractionSequences(run.data)
        let spec = run.model
        let (maxLength, batchSize, scalingBatch, steps, lengths) = (run.maxLength, run.batch, run.scalingBatch, run.steps, run.lengths)
        // The parameters at the default length (SASRec's position table grows with the longest L).
        context.setFinal("parameters", Double(try spec.build(items: data.items, maxLength: maxLength, rng: context.rng).store.count))

        // The default length, on the experiment's data.
        let (model, store) = try spec.build(items: data.items, maxLength: max(maxLength, lengths.max()!), rng: context.rng)
        var optimizer: any Optimizer = Adam(learningRate: 1e-3)
        let windows = data.trainingSamples(run.samples ?? .windows, maxLength: maxLength)
        // The larger of the two kinds of step: a batch of the data at the default length, and the
        // length sweep's batch at its longest length.
        let longestLength = lengths.max()!
        let sweepRow = InteractionSequences.Window(inputs: Array(repeating: 1, count: longestLength),
                                                   targets: Array(repeating: -1, count: longestLength - 1) + [1])
        let probe = context.rng.stream("memory-estimate")
        try context.admit([RecommenderTraining.memoryEstimate(model, store, optimizer, windows: windows, batch: batchSize, rng: probe),
                           RecommenderTraining.memoryEstimate(model, store, optimizer, windows: [sweepRow], batch: scalingBatch, rng: probe)]
            .max { $0.totalBytes < $1.totalBytes }!)
        var shuffle = context.rng.stream("order")
        let weights = (run.batchBy ?? .samples).weights(windows)
        let batches = QualityExperiment.batches(windows.map(\.inputs.count), weights: weights, batchSize: batchSize, rng: &shuffle)
            .map { $0.map { windows[$0] } }
        // Peak memory of the epoch's costliest step: the batch of the longest samples.
        let longest = batches.max { $0.map(\.inputs.count).max()! < $1.map(\.inputs.count).max()! }!
        _ = QualityExperiment.trainStep(model, store, &optimizer, longest, mode: .training(rng: context.rng.stream("dropout", -1)))
        let (_, trainPeak) = MemoryMeter.measure {
            QualityExperiment.trainStep(model, store, &optimizer, longest, mode: .training(rng: context.rng.stream("dropout", 0)))
        }
        let epochStart = DispatchTime.now().uptimeNanoseconds
        for (i, rows) in batches.enumerated() {
            _ = QualityExperiment.trainStep(model, store, &optimizer, rows, mode: .training(rng: context.rng.stream("dropout", i)))
        }
        let epochSeconds = seconds(since: epochStart)
        let users = RankingEvaluation.inputsByLength(data, .validation, maxLength: maxLength)
        let evaluationStart = DispatchTime.now().uptimeNanoseconds
        _ = RankingEvaluation.evaluate(model, store, data, .validation, maxLength: maxLength)
        let evaluationSeconds = seconds(since: evaluationStart)
        // Peak memory of the costliest inference batch: the users with the longest inputs.
        let (_, inferencePeak) = MemoryMeter.measure {
            RankingEvaluation.lastPositionScores(model, store, users.suffix(RankingEvaluation.usersPerBatch).map(\.input))
        }
        context.setFinal("train_step_peak_bytes", Double(trainPeak))
        context.setMeasurement("seconds_per_epoch", epochSeconds)
        context.setMeasurement("inference_seconds_per_1000_users", evaluationSeconds * 1000 / Double(users.count))

        // Growing lengths, on random full-length sequences.
        var draw = context.rng.stream("synthetic")
        for length in lengths {
            let ids = (0..<(scalingBatch * length)).map { _ in 1 + draw.int(below: data.items) }
            let targets = (0..<scalingBatch).map { _ in 1 + draw.int(below: data.items) }
            let sequences = (0..<scalingBatch).map { ids[($0 * length)..<(($0 + 1) * length)] }
            let rows = sequences.enumerated().map { r, s in
                InteractionSequences.Window(inputs: Array(s), targets: Array(repeating: -1, count: length - 1) + [targets[r]])
            }
            var trainTimes: [Double] = [], inferenceTimes: [Double] = []
            var trainBytes = 0, inferenceBytes = 0
            for s in 0...steps {
                let start = DispatchTime.now().uptimeNanoseconds
                let (_, peak) = MemoryMeter.measure {
                    QualityExperiment.trainStep(model, store, &optimizer, rows, mode: .training(rng: context.rng.stream("dropout-L\(length)", s)))
                }
                let trained = DispatchTime.now().uptimeNanoseconds
                let (_, inferencePeak) = MemoryMeter.measure {
                    var metrics = RankingMetrics(cutoffs: RankingEvaluation.cutoffs)
                    RankingEvaluation.rank(RankingEvaluation.lastPositionScores(model, store, sequences), targets: targets, into: &metrics)
                }
                let inferred = DispatchTime.now().uptimeNanoseconds
                // Step 0 warms the allocator and caches; it is not timed.
                if s > 0 {
                    trainTimes.append(Double(trained - start) / 1e9)
                    inferenceTimes.append(Double(inferred - trained) / 1e9)
                }
                trainBytes = max(trainBytes, peak)
                inferenceBytes = max(inferenceBytes, inferencePeak)
            }
            try context.log(step: length, ["train_peak_bytes": Double(trainBytes), "inference_peak_bytes": Double(inferenceBytes)])
            context.setMeasurement(trainKey(length), Quantiles.of(trainTimes, 0.5))
            context.setMeasurement(inferenceKey(length), Quantiles.of(inferenceTimes, 0.5) * 1000 / Double(scalingBatch))
        }
        // After the sweep: its logged column of the same name sets the final value of each row it logs.
        context.setFinal("inference_peak_bytes", Double(inferencePeak))
    }

    static func seconds(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

    /// The least-squares slope of log y against log L: y ∝ L^slope.
    static func growthExponent(_ lengths: [Int], _ values: [Double]) -> Double {
        let x = lengths.map { Foundation.log(Double($0)) }, y = values.map { Foundation.log($0) }
        let (mx, my) = (x.reduce(0, +) / Double(x.count), y.reduce(0, +) / Double(y.count))
        let sxy = zip(x, y).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let sxx = x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        return sxy / sxx
    }
}
