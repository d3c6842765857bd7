import Engine
import Foundation
import Suite
import Tasks

/// The real-model experiment (§4 fine-tunes ALBERT with Adam and its clipped/delayed versions): a
/// small character-level decoder trained on Tiny Shakespeare with each method and several seeds.
/// Logs the training loss (mean over the last `evalEvery` minibatches) and the validation loss.
enum CharLMExperiment {
    static let id = "char-lm"

    static func group(method: String) -> RunGroup { RunGroup(["method": method]) }

    static func make(_ config: CharLMConfig, scale: Scale, paper: String) throws -> Experiment {
        let sweep = config.sweep(scale)
        var runs: [RunConfig] = []
        for method in config.methods {
            for seed in 0..<sweep.seeds {
                runs.append(try RunConfig(paper: paper, experiment: id, group: group(method: method.name), seed: seed,
                                          typed: Run(method.optimizer, config.model, sweep)))
            }
        }
        let title = "character-level decoder (\(config.model.layers)×d\(config.model.width)) on Tiny Shakespeare (\(sweep.data.rawValue))"
        return Experiment(id: id, title: title, runs: runs, parameters: Run.self, execute: execute)
    }

    /// One method's training.
    struct Run: RunParameters {
        @JSONEncoded var optimizer: OptimizerSpec
        @JSONEncoded var model: CharLMConfig.Model
        var data: DataChoice
        var steps: Int
        var batch: Int
        var evalEvery: Int
        var evalBatches: Int

        init(_ optimizer: OptimizerSpec, _ model: CharLMConfig.Model, _ sweep: CharLMConfig.Sweep) {
            self.optimizer = optimizer
            self.model = model
            (data, steps, batch, evalEvery, evalBatches) = (sweep.data, sweep.steps, sweep.batch, sweep.evalEvery, sweep.evalBatches)
        }
    }

    @Sendable static func execute(_ run: Run, _ context: RunContext) throws {
        let task = try CharacterLMTask(model: run.model, data: run.data, rng: context.rng)
        var optimizer = try run.optimizer.make()
        let (steps, batch, evalEvery, evalBatches) = (run.steps, run.batch, run.evalEvery, run.evalBatches)
        try context.admit(task.memoryEstimate(optimizer: optimizer, batch: batch))
        var batches = context.rng.stream("batches")
        var recent = 0.0, recentCount = 0, done = 0
        context.expectedRows = 1 + (1...steps).filter { $0 % evalEvery == 0 || $0 == steps }.count
        // At a logged step: parameters, optimizer and the batch stream (the running mean restarts there).
        if let state = context.resume() {
            done = try task.resume(state, batches: &batches)
            optimizer = try state.restore(optimizer, "optimizer")
        } else {
            var initial = context.rng.stream("initial-train-loss")
            try context.log(step: 0, ["train_loss": task.loss(task.train, offsets: task.randomOffsets(batch, rng: &initial), gradient: false),
                                      "val_loss": task.validationLoss(batches: evalBatches, batch: batch)])
        }
        for step in stride(from: done + 1, through: steps, by: 1) {
            recent += task.loss(task.train, offsets: task.randomOffsets(batch, rng: &batches), gradient: true)
            recentCount += 1
            optimizer.step(task.store)
            if step % evalEvery == 0 || step == steps {
                try context.log(step: step, ["train_loss": recent / Double(recentCount),
                                             "val_loss": task.validationLoss(batches: evalBatches, batch: batch)])
                recent = 0
                recentCount = 0
                try context.checkpoint(try task.checkpoint(step: step, optimizer: optimizer, batches: batches))
            }
        }
    }
}
