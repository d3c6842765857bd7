import Dispatch
import Engine
import Foundation
import Suite
import Tasks

/// Experiment `adaptive` (arXiv:2408.05606, direction 2: adaptive batch-size and step-size methods
/// to cut training cost): each model trained under each setting — Adam or the universal step
/// (UniSgd), with a fixed batch or one grown by a batch-size test (norm test, augmented
/// inner-product test; AdaBatchGrad's combination of the two ideas) — for the same number of
/// training sequences. Validation NDCG@10 is measured at fixed points of that budget and logged
/// against the cumulative training time (evaluation excluded), the sequences and targets seen
/// and the optimizer steps, with the batch size at that point.
///
/// Every step computes its gradient from `microBatches` micro-batches of similar length (see
/// `RecommenderTraining.microBatchGradient`), fixed settings included, so all settings pay the same
/// split and differ only in batch size and step rule.
enum AdaptiveExperiment {
    static let id = "adaptive"

    static func group(_ model: String, _ setting: String) -> RunGroup { RunGroup(["model": model, "setting": setting]) }

    static func make(_ config: RecsysConfig, scale: Scale, paper: String) throws -> Experiment {
        let sweep = config.adaptive.sweep(scale)
        var runs: [RunConfig] = []
        for name in sweep.models {
            guard let model = config.trainedModel(name) else { throw SuiteError("ssm-recsys adaptive: no trained model '\(name)'") }
            for setting in config.trainingSettings {
                for seed in 0..<sweep.seeds {
                    runs.append(try RunConfig(paper: paper, experiment: id, group: group(name, setting.name), seed: seed,
                                              typed: Run(model, setting, sweep)))
                }
            }
        }
        return Experiment(id: id, title: "Adaptive batch size and step size: validation NDCG@10 within \(sweep.epochs) epochs of training sequences",
                          runs: runs, parameters: Run.self, execute: execute)
    }

    /// One model trained under one setting.
    struct Run: RunParameters {
        @JSONEncoded var model: RecommenderSpec
        @JSONEncoded var setting: TrainingSetting
        var data: DataChoice
        var maxLength: Int
        /// The fixed batch, or where a batch-size test starts.
        var batch: Int
        var maxBatch: Int
        var microBatches: Int
        var epochs: Int
        var evaluations: Int

        init(_ model: RecommenderSpec, _ setting: TrainingSetting, _ sweep: AdaptiveSweep) {
            self.model = model
            self.setting = setting
            (data, maxLength, batch) = (sweep.data, sweep.maxLength, setting.batchTest == nil ? sweep.batch : sweep.adaptiveStart)
            (maxBatch, microBatches, epochs, evaluations) = (sweep.maxBatch, sweep.microBatches, sweep.epochs, sweep.evaluations)
        }
    }

    @Sendable static func execute(_ run: Run, _ context: RunContext) throws {
        let data = try InteractionSequences(run.data)
        let (setting, maxLength) = (run.setting, run.maxLength)
        let (model, store) = try run.model.build(items: data.items, maxLength: maxLength, rng: context.rng)
        var optimizer = try setting.optimizer.make()
        let (batch, maxBatch, parts) = (run.batch, run.maxBatch, run.microBatches)
        var adaptive = try setting.batchTest.map {
            AdaptiveBatchSize(test: try $0.make(), initial: batch, maximum: maxBatch, window: $0.window ?? 1)
        }
        let windows = data.trainingWindows(maxLength: maxLength)
        guard !windows.isEmpty else { throw SuiteError("ssm-recsys: \(data.provenance) has no user with two training items") }
        // The largest step: the largest batch the setting reaches, in `parts` micro-batches, each
        // micro-batch's gradient kept.
        let largestBatch = adaptive == nil ? batch : max(batch, maxBatch)
        try context.admit(RecommenderTraining.memoryEstimate(model, store, optimizer, windows: windows, batch: (largestBatch + parts - 1) / parts,
                                                             other: ["micro-batch gradients": parts * store.count * MemoryLayout<Float>.size],
                                                             rng: context.rng.stream("memory-estimate")))
        let budget = run.epochs * windows.count
        let evaluateEvery = max(1, windows.count / run.evaluations)
        context.measuredColumns = ["train_seconds"]

        var sampler = WindowSampler(count: windows.count, rng: context.rng.stream("order"))
        var micro = MicroBatchGradients(capacity: parts, dimension: store.count)
        var seen = 0, targetsSeen = 0, steps = 0, nextEvaluation = evaluateEvery
        var trainingNanoseconds: UInt64 = 0
        var lossSum = 0.0, lossTargets = 0, noiseSum = 0.0, noiseSteps = 0
        var bestNDCG = -Double.infinity
        context.expectedRows = (budget + evaluateEvery - 1) / evaluateEvery
        // At an evaluation: parameters, optimizer, the sampler's order and place, the batch-size
        // controller and the counters (the per-evaluation sums are zero there).
        if let state = context.resume() {
            (seen, targetsSeen, steps) = (Int(try state.number("seen")), Int(try state.number("targets")), Int(try state.number("steps")))
            (nextEvaluation, trainingNanoseconds) = (Int(try state.number("next_evaluation")), UInt64(try state.number("training_ns")))
            bestNDCG = try state.number("best_ndcg")
            try state.read("parameters", into: &store.values)
            optimizer = try state.restore(optimizer, "optimizer")
            sampler = try state.decode(WindowSampler.self, "sampler")
            if adaptive != nil { adaptive!.state = try state.decode(AdaptiveBatchSize.State.self, "batch_size") }
        }
        while seen < budget {
            let size = min(adaptive?.batch ?? batch, budget - seen)
            let start = DispatchTime.now().uptimeNanoseconds
            let rows = sampler.next(size).map { windows[$0] }
            let (outcome, statistics) = RecommenderTraining.microBatchGradient(model, store, rows, parts: parts, into: &micro,
                                                                                rng: context.rng.stream("dropout", steps))
            optimizer.step(store)
            adaptive?.update(statistics)
            trainingNanoseconds += DispatchTime.now().uptimeNanoseconds - start
            seen += size
            targetsSeen += outcome.targets
            steps += 1
            lossSum += outcome.loss * Double(outcome.targets)
            lossTargets += outcome.targets
            // σ̂²/(N‖ḡ‖²): the batch gradient's relative noise, what the norm test bounds by θ².
            let noise = statistics.variance / (Double(statistics.examples) * statistics.meanNormSquared)
            if noise.isFinite { noiseSum += noise; noiseSteps += 1 }
            guard seen >= nextEvaluation || seen >= budget else { continue }
            while nextEvaluation <= seen { nextEvaluation += evaluateEvery }

            let validation = RankingEvaluation.evaluate(model, store, data, .validation, maxLength: maxLength)
            let ndcg = validation.mean("ndcg@10") ?? 0
            if ndcg > bestNDCG {
                bestNDCG = ndcg
                let test = RankingEvaluation.evaluate(model, store, data, .test, maxLength: maxLength)
                context.setFinal("best_epoch", Double(seen) / Double(windows.count))
                for (name, value) in QualityExperiment.columns("best_val", validation) + QualityExperiment.columns("best_test", test) {
                    context.setFinal(name, value)
                }
            }
            let values: [(key: String, value: Double)] = [
                (key: "epoch", value: Double(seen) / Double(windows.count)), (key: "sequences", value: Double(seen)),
                (key: "targets", value: Double(targetsSeen)), (key: "steps", value: Double(steps)),
                (key: "batch", value: Double(adaptive?.batch ?? batch)), (key: "train_loss", value: lossSum / Double(max(lossTargets, 1))),
                (key: "gradient_noise", value: noiseSteps > 0 ? noiseSum / Double(noiseSteps) : 0),
                (key: "train_seconds", value: Double(trainingNanoseconds) / 1e9),
            ] + QualityExperiment.columns("val", validation)
            try context.log(step: steps, values)
            (lossSum, lossTargets, noiseSum, noiseSteps) = (0, 0, 0, 0)
            try context.checkpoint(try {
                var state = Checkpoint()
                state.numbers = ["seen": Double(seen), "targets": Double(targetsSeen), "steps": Double(steps), "next_evaluation": Double(nextEvaluation),
                                 "training_ns": Double(trainingNanoseconds), "best_ndcg": bestNDCG]
                state.set("parameters", store.values)
                try state.set("optimizer", optimizer: optimizer)
                try state.set("sampler", encoding: sampler)
                if let adaptive { try state.set("batch_size", encoding: adaptive.state) }
                return state
            }())
        }
        context.setMeasurement("seconds_per_epoch", Double(trainingNanoseconds) / 1e9 * Double(windows.count) / Double(seen))
    }
}

/// Windows in a fresh random order each epoch, drawn a batch at a time; a batch that crosses the
/// end of an epoch continues in the next epoch's order.
struct WindowSampler: Codable {
    let count: Int
    let rng: RNG
    private var order: [Int] = []
    private var position = 0
    private var epoch = 0

    init(count: Int, rng: RNG) {
        self.count = count
        self.rng = rng
    }

    mutating func next(_ size: Int) -> [Int] {
        var drawn: [Int] = []
        drawn.reserveCapacity(size)
        while drawn.count < size {
            if position == order.count {
                var shuffle = rng.stream("epoch", epoch)
                order = shuffle.permutation(count)
                position = 0
                epoch += 1
            }
            let take = min(size - drawn.count, order.count - position)
            drawn += order[position..<(position + take)]
            position += take
        }
        return drawn
    }
}
