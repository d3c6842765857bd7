import Engine
import Foundation
import Suite
import Tasks

/// Experiment `lm` (§6 pre-trains LLaMA-style models on C4; here a small LLaMA-style decoder on
/// Tiny Shakespeare). Every step draws `batch` windows; a voting method splits them over M simulated
/// workers (batch/M each), which send the signs of their momenta and apply the majority, so all
/// methods see the same data per step. Bits per worker and step count the distributed setting:
/// 32 per parameter for float methods (an all-reduce of gradients), 1 for the vote.
enum LanguageModelExperiment {
    static let id = "lm"

    static func group(method: String) -> RunGroup { RunGroup(["method": method]) }

    static func make(_ config: SignLMConfig, scale: Scale, paper: String) throws -> Experiment {
        let sweep = config.sweep(scale)
        var runs: [RunConfig] = []
        for method in config.methods {
            for seed in 0..<sweep.seeds {
                runs.append(try RunConfig(paper: paper, experiment: id, group: group(method: method.name), seed: seed, typed: Run(
                    optimizer: method.optimizer, vote: method.vote ?? false, workers: config.workers, model: config.model, data: sweep.data,
                    steps: sweep.steps, batch: sweep.batch, evalEvery: sweep.evalEvery, evalBatches: sweep.evalBatches)))
            }
        }
        let title = "LLaMA-style decoder (\(config.model.layers)×d\(config.model.width)) on Tiny Shakespeare (\(sweep.data.rawValue)), \(config.workers) workers"
        return Experiment(id: id, title: title, runs: runs, parameters: Run.self, exactMetrics: ["bits"], execute: execute)
    }

    /// One method's training; `vote`: the workers send signs and apply their majority.
    struct Run: RunParameters {
        @JSONEncoded var optimizer: OptimizerSpec
        var vote: Bool
        var workers: Int
        @JSONEncoded var model: CharacterLMTask.Model
        var data: DataChoice
        var steps: Int
        var batch: Int
        var evalEvery: Int
        var evalBatches: Int
    }

    @Sendable static func execute(_ run: Run, _ context: RunContext) throws {
        let task = try CharacterLMTask(model: run.model, data: run.data, rng: context.rng)
        let spec = run.optimizer
        let (steps, batch, workers, evalEvery, evalBatches, vote) = (run.steps, run.batch, run.workers, run.evalEvery, run.evalBatches, run.vote)
        var single = vote ? nil : try spec.make()
        var majority = vote ? try spec.majorityVote() : nil
        let parameters = task.store.count
        let bitsPerStep = Double(vote ? parameters : 32 * parameters)
        // A vote keeps each worker's gradient, and at most a momentum per worker and the vote.
        let voteState = vote ? ["worker gradients and vote state": (2 * workers + 1) * parameters * MemoryLayout<Float>.size] : [:]
        try context.admit(task.memoryEstimate(optimizer: single, batch: vote ? batch / workers : batch, other: voteState))
        var workerGradients = (0..<workers).map { _ in Tensor(zeros: [parameters]) }
        var batches = context.rng.stream("batches")
        var recent = 0.0, recentCount = 0, done = 0
        context.expectedRows = 1 + (1...steps).filter { $0 % evalEvery == 0 || $0 == steps }.count
        // At a logged step: parameters, the optimizer (or the vote's per-worker state) and the batch
        // stream (the running mean restarts there; worker gradients are rewritten every step).
        if let state = context.resume() {
            done = try task.resume(state, batches: &batches)
            if let optimizer = single { single = try state.restore(optimizer, "optimizer") }
            if majority != nil { majority = try state.decode(MajorityVoteSignSGD.self, "vote") }
        } else {
            var initial = context.rng.stream("initial-train-loss")
            try context.log(step: 0, ["train_loss": task.loss(task.train, offsets: task.randomOffsets(batch, rng: &initial), gradient: false),
                                      "val_loss": task.validationLoss(batches: evalBatches, batch: batch), "bits": 0])
        }
        for step in stride(from: done + 1, through: steps, by: 1) {
            let offsets = task.randomOffsets(batch, rng: &batches)
            if vote {
                let share = batch / workers
                for j in 0..<workers {
                    recent += task.loss(task.train, offsets: Array(offsets[(j * share)..<((j + 1) * share)]), gradient: true) / Double(workers)
                    workerGradients[j].withUnsafeMutableBufferPointer { w in
                        task.store.grads.withUnsafeBufferPointer { g in w.baseAddress!.update(from: g.baseAddress!, count: parameters) }
                    }
                }
                majority!.step(task.store, workerGradients: workerGradients)
            } else {
                recent += task.loss(task.train, offsets: offsets, gradient: true)
                single!.step(task.store)
            }
            recentCount += 1
            if step % evalEvery == 0 || step == steps {
                try context.log(step: step, ["train_loss": recent / Double(recentCount),
                                             "val_loss": task.validationLoss(batches: evalBatches, batch: batch),
                                             "bits": Double(step) * bitsPerStep])
                recent = 0
                recentCount = 0
                try context.checkpoint(try {
                    var state = try task.checkpoint(step: step, optimizer: single, batches: batches)
                    if let majority { try state.set("vote", encoding: majority) }
                    return state
                }())
            }
        }
    }
}
