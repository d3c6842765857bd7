import Dispatch
import Engine
import Foundation
import Suite
import Tasks

/// Experiment `quality` (Mamba4Rec §4.2, Table 2; arXiv:2408.05606 §4): every model trained with
/// cross-entropy over all items and Adam, evaluated after every epoch by full ranking on the
/// validation items; training stops after `patience` epochs without a better validation NDCG@10
/// and the test metrics of the best-validation epoch are the result (RecBole's protocol).
enum QualityExperiment {
    static let id = "quality"

    static func group(_ model: String) -> RunGroup { RunGroup(["model": model]) }

    static func make(_ config: RecsysConfig, scale: Scale, paper: String) throws -> Experiment {
        let sweep = config.quality.sweep(scale)
        var runs: [RunConfig] = []
        for model in config.models {
            // The popularity ranking is deterministic: one run.
            for seed in 0..<sweep.seeds(of: model) {
                runs.append(try RunConfig(paper: paper, experiment: id, group: group(model.name), seed: seed, typed: Run(model, sweep)))
            }
        }
        let title = "Next-item quality on Amazon Video Games (\(sweep.data == .sample ? "synthetic sample" : "SASRec's Video.txt")), full ranking, early stopping on validation NDCG@10"
        return Experiment(id: id, title: title, runs: runs, parameters: Run.self, exactMetrics: ["parameters"], execute: execute)
    }

    /// One training of a model with early stopping (experiments `quality` and `ablation`).
    struct Run: RunParameters {
        @JSONEncoded var model: RecommenderSpec
        var data: DataChoice
        var maxLength: Int
        var batch: Int
        var maxEpochs: Int
        var patience: Int
        @JSONEncoded var optimizer: OptimizerSpec
        /// Windows and samples when nil: set only by the sweeps that choose otherwise, so the runs
        /// of the others keep their keys.
        var samples: TrainingSamples?
        var batchBy: BatchUnit?

        init(_ model: RecommenderSpec, _ sweep: QualitySweep) {
            self.model = model
            optimizer = sweep.optimizer
            (data, maxLength, batch, maxEpochs, patience) = (sweep.data, sweep.maxLength, sweep.batch, sweep.maxEpochs, sweep.patience)
            (samples, batchBy) = (sweep.samples, sweep.batchBy)
        }
    }

    /// The metric columns logged per epoch, e.g. `val_ndcg@10`.
    static func columns(_ prefix: String, _ metrics: RankingMetrics) -> [(key: String, value: Double)] {
        metrics.means.map { (key: "\(prefix)_\($0.name)", value: $0.value) }
    }

    @Sendable static func execute(_ run: Run, _ context: RunContext) throws {
        let data = try InteractionSequences(run.data)
        let (spec, maxLength) = (run.model, run.maxLength)
        if spec.kind == .popularity {
            let (validation, test) = (RankingEvaluation.popularity(data, .validation), RankingEvaluation.popularity(data, .test))
            try log(context, step: 0, epoch: 0, loss: .nan, validation, test)
            try setBest(context, epoch: 0, validation, test)
            return
        }
        let (model, store) = try spec.build(items: data.items, maxLength: maxLength, rng: context.rng)
        context.setFinal("parameters", Double(store.count))
        var optimizer = try run.optimizer.make()
        let (batchSize, maxEpochs, patience) = (run.batch, run.maxEpochs, run.patience)
        let windows = data.trainingSamples(run.samples ?? .windows, maxLength: maxLength)
        let weights = (run.batchBy ?? .samples).weights(windows)
        guard !windows.isEmpty else { throw SuiteError("ssm-recsys: \(data.provenance) has no user with two training items") }
        try context.admit(RecommenderTraining.memoryEstimate(model, store, optimizer, windows: windows, batch: batchSize,
                                                             rng: context.rng.stream("memory-estimate")))

        context.expectedRows = maxEpochs
        var step = 0, bestNDCG = -Double.infinity, sinceBest = 0
        var trainingNanoseconds: UInt64 = 0, evaluationNanoseconds: UInt64 = 0, epochs = 0, evaluatedUsers = 0
        var bestTest: RankingMetrics?
        // Everything the epochs carry from one to the next; the rest (shuffles, dropout masks) is
        // drawn from streams keyed by epoch and step.
        func saved() throws -> Checkpoint {
            var state = Checkpoint()
            state.numbers = ["epoch": Double(epochs), "step": Double(step), "best_ndcg": bestNDCG, "since_best": Double(sinceBest),
                             "training_ns": Double(trainingNanoseconds), "evaluation_ns": Double(evaluationNanoseconds),
                             "evaluated_users": Double(evaluatedUsers)]
            state.set("parameters", store.values)
            try state.set("optimizer", optimizer: optimizer)
            try state.set("best_test", encoding: bestTest)
            return state
        }
        if let state = context.resume() {
            (epochs, step, sinceBest) = (Int(try state.number("epoch")), Int(try state.number("step")), Int(try state.number("since_best")))
            bestNDCG = try state.number("best_ndcg")
            (trainingNanoseconds, evaluationNanoseconds) = (UInt64(try state.number("training_ns")), UInt64(try state.number("evaluation_ns")))
            evaluatedUsers = Int(try state.number("evaluated_users"))
            try state.read("parameters", into: &store.values)
            optimizer = try state.restore(optimizer, "optimizer")
            bestTest = try state.decode(RankingMetrics?.self, "best_test")
        }
        for epoch in stride(from: epochs + 1, through: maxEpochs, by: 1) {
            var shuffle = context.rng.stream("order", epoch)
            let batches = Self.batches(windows.map(\.inputs.count), weights: weights, batchSize: batchSize, rng: &shuffle)
            var lossSum = 0.0, targetCount = 0
            let start = DispatchTime.now().uptimeNanoseconds
            for batch in batches {
                let rows = batch.map { windows[$0] }
                let (loss, count) = trainStep(model, store, &optimizer, rows, mode: .training(rng: context.rng.stream("dropout", step)))
                lossSum += loss * Double(count)
                targetCount += count
                step += 1
            }
            let trained = DispatchTime.now().uptimeNanoseconds
            trainingNanoseconds += trained - start
            let validation = RankingEvaluation.evaluate(model, store, data, .validation, maxLength: maxLength)
            let ndcg = validation.mean("ndcg@10") ?? 0
            let improved = ndcg > bestNDCG
            // The test items are scored only at a new best validation epoch (what RecBole reports
            // after restoring its best checkpoint); other epochs log the last best test values.
            if improved { bestTest = RankingEvaluation.evaluate(model, store, data, .test, maxLength: maxLength) }
            evaluationNanoseconds += DispatchTime.now().uptimeNanoseconds - trained
            evaluatedUsers += data.evaluatedUsers(.validation).count + (improved ? data.evaluatedUsers(.test).count : 0)
            epochs = epoch
            try log(context, step: step, epoch: epoch, loss: lossSum / Double(max(targetCount, 1)), validation, bestTest!)
            if improved {
                bestNDCG = ndcg
                sinceBest = 0
                try setBest(context, epoch: epoch, validation, bestTest!)
            } else {
                sinceBest += 1
                if sinceBest >= patience { break }
            }
            try context.checkpoint(try saved())
        }
        context.setFinal("epochs", Double(epochs))
        context.setMeasurement("seconds_per_epoch", Double(trainingNanoseconds) / 1e9 / Double(epochs))
        context.setMeasurement("evaluation_seconds_per_1000_users", Double(evaluationNanoseconds) / 1e9 * 1000 / Double(max(evaluatedUsers, 1)))
    }

    /// An epoch's batches of window indices: windows in random order, then within each pool of 16
    /// batches sorted by length and cut, and the batches shuffled. Batches hold windows of similar
    /// length, so little compute goes to padding (histories on Video Games are 7 items long on
    /// average, up to 50 per window); every window is still used once per epoch in random company.
    /// A batch (and a pool) closes once its windows' `weights` (1 each when nil: `batchSize` counts
    /// windows; their targets: it counts targets) reach `batchSize` (16 × `batchSize`).
    static func batches(_ lengths: [Int], weights: [Int]? = nil, batchSize: Int, rng: inout RNG) -> [[Int]] {
        let order = rng.permutation(lengths.count)
        func weight(_ i: Int) -> Int { weights?[i] ?? 1 }
        var batches: [[Int]] = []
        var first = 0
        while first < order.count {
            var end = first, poolWeight = 0
            while end < order.count && poolWeight < 16 * batchSize {
                poolWeight += weight(order[end])
                end += 1
            }
            let pool = order[first..<end].sorted { (lengths[$0], $0) < (lengths[$1], $1) }
            var batch: [Int] = [], batchWeight = 0
            for i in pool {
                batch.append(i)
                batchWeight += weight(i)
                if batchWeight >= batchSize {
                    batches.append(batch)
                    (batch, batchWeight) = ([], 0)
                }
            }
            if !batch.isEmpty { batches.append(batch) }
            first = end
        }
        return rng.permutation(batches.count).map { batches[$0] }
    }

    /// One optimizer step on a batch of windows (mean cross-entropy over every counted target).
    /// Returns the loss and the number of targets.
    static func trainStep(_ model: any SequentialRecommender, _ store: ParameterStore, _ optimizer: inout any Optimizer,
                          _ rows: [InteractionSequences.Window], mode: ForwardMode) -> (Double, Int) {
        let outcome = RecommenderTraining.gradient(model, store, rows, objective: .crossEntropy, mode: mode)
        optimizer.step(store)
        return (outcome.loss, outcome.targets)
    }

    static func log(_ context: RunContext, step: Int, epoch: Int, loss: Double, _ validation: RankingMetrics, _ bestTest: RankingMetrics) throws {
        let values = [(key: "epoch", value: Double(epoch))] + (loss.isNaN ? [] : [(key: "train_loss", value: loss)])
            + columns("val", validation) + columns("best_test", bestTest)
        try context.log(step: step, values)
    }

    /// The result of the run: metrics of the best-validation epoch so far.
    static func setBest(_ context: RunContext, epoch: Int, _ validation: RankingMetrics, _ test: RankingMetrics) throws {
        context.setFinal("best_epoch", Double(epoch))
        for (name, value) in columns("best_val", validation) + columns("best_test", test) { context.setFinal(name, value) }
    }
}
