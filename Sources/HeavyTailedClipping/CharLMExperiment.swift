import Engine
import Foundation
import Suite

/// The real-model experiment (§4 fine-tunes ALBERT with Adam and its clipped/delayed versions): a
/// small character-level decoder trained on Tiny Shakespeare with each method and several seeds.
/// Logs the training loss (mean over the last `evalEvery` minibatches) and the validation loss.
enum CharLMExperiment {
    static let id = "char-lm"

    static func group(method: String) -> String { "method=\(method)" }

    static func make(_ config: CharLMConfig, scale: Scale, paper: String) throws -> Experiment {
        let sweep = scale == .quick ? config.quick : config.full
        var runs: [RunConfig] = []
        for method in config.methods {
            _ = try method.optimizer.make()
            for seed in 0..<sweep.seeds {
                runs.append(RunConfig(paper: paper, experiment: id, group: group(method: method.name), seed: seed, parameters: [
                    "optimizer": try .json(method.optimizer), "model": try .json(config.model),
                    "data": .string(sweep.data.rawValue), "steps": .int(sweep.steps), "batch": .int(sweep.batch),
                    "evalEvery": .int(sweep.evalEvery), "evalBatches": .int(sweep.evalBatches),
                ]))
            }
        }
        let title = "character-level decoder (\(config.model.layers)×d\(config.model.width)) on Tiny Shakespeare (\(sweep.data.rawValue))"
        return Experiment(id: id, title: title, runs: runs, execute: execute)
    }

    @Sendable static func execute(_ run: RunConfig, _ context: RunContext) throws {
        guard let data = CharLMConfig.DataChoice(rawValue: try run.string("data")) else {
            throw SuiteError("\(run.experiment): data must be 'sample' or 'full', got '\(try run.string("data"))'")
        }
        let task = try CharacterLMTask(model: try run.decoded(CharLMConfig.Model.self, "model"), data: data, rng: context.rng)
        var optimizer = try run.decoded(OptimizerSpec.self, "optimizer").make()
        let (steps, batch) = (try run.int("steps"), try run.int("batch"))
        let (evalEvery, evalBatches) = (try run.int("evalEvery"), try run.int("evalBatches"))
        var batches = context.rng.stream("batches")
        var recent = 0.0, recentCount = 0
        var initial = context.rng.stream("initial-train-loss")
        try context.log(step: 0, ["train_loss": task.loss(task.train, offsets: task.randomOffsets(batch, rng: &initial), gradient: false),
                                  "val_loss": task.validationLoss(batches: evalBatches, batch: batch)])
        for step in 1...steps {
            recent += task.loss(task.train, offsets: task.randomOffsets(batch, rng: &batches), gradient: true)
            recentCount += 1
            optimizer.step(task.store)
            if step % evalEvery == 0 || step == steps {
                try context.log(step: step, ["train_loss": recent / Double(recentCount),
                                             "val_loss": task.validationLoss(batches: evalBatches, batch: batch)])
                recent = 0
                recentCount = 0
            }
        }
    }
}
