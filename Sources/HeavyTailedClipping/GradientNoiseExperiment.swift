import Engine
import Foundation
import Suite
import Tasks

/// Is the minibatch gradient noise of the real model heavy-tailed? As in the official code's
/// `check_tails` scripts: a reference gradient g over many batches, then ‖g_b − g‖ for many random
/// minibatches b, whose distribution (and Hill estimate of its tail index) is what §4 shows.
/// Measured at several checkpoints of a training run with `noiseOptimizer`.
enum GradientNoiseExperiment {
    static let id = "gradient-noise"

    static func group(checkpoint: Int) -> RunGroup { RunGroup(["checkpoint": String(checkpoint)]) }

    static func make(_ config: CharLMConfig, scale: Scale, paper: String) throws -> Experiment {
        let sweep = config.sweep(scale)
        let runs = try sweep.noiseCheckpoints.map { checkpoint in
            try RunConfig(paper: paper, experiment: id, group: group(checkpoint: checkpoint), seed: 0, typed: Run(
                optimizer: config.noiseOptimizer, model: config.model, data: sweep.data, checkpoint: checkpoint, batch: sweep.batch,
                samples: sweep.noiseSamples, fullBatches: sweep.noiseFullBatches))
        }
        return Experiment(id: id, title: "minibatch gradient noise ‖g_b − g‖ of the character-level decoder", runs: runs,
                          parameters: Run.self, execute: execute)
    }

    /// The noise at one checkpoint: `checkpoint` steps of `optimizer`, then `samples` minibatch
    /// gradients of `batch` windows against the mean over `fullBatches` batches (0: all).
    struct Run: RunParameters {
        @JSONEncoded var optimizer: OptimizerSpec
        @JSONEncoded var model: CharLMConfig.Model
        var data: DataChoice
        var checkpoint: Int
        var batch: Int
        var samples: Int
        var fullBatches: Int
    }

    @Sendable static func execute(_ run: Run, _ context: RunContext) throws {
        let task = try CharacterLMTask(model: run.model, data: run.data, rng: context.rng)
        var optimizer = try run.optimizer.make()
        let batch = run.batch
        // Besides the model's: the reference gradient g.
        try context.admit(task.memoryEstimate(optimizer: optimizer, batch: batch,
                                              other: ["reference gradient": task.store.count * MemoryLayout<Float>.size]))
        var batches = context.rng.stream("batches")
        for _ in 0..<run.checkpoint {
            _ = task.loss(task.train, offsets: task.randomOffsets(batch, rng: &batches), gradient: true)
            optimizer.step(task.store)
        }

        let (reference, used) = task.meanGradient(batches: run.fullBatches, batch: batch)

        var probe = context.rng.stream("noise-minibatches")
        let norms = try NoiseNorms.measure(samples: run.samples, reference: reference, store: task.store, context: context) {
            _ = task.loss(task.train, offsets: task.randomOffsets(batch, rng: &probe), gradient: true)
        }
        context.setFinal("hill_tail_index", HillEstimator.tailIndex(norms))
        context.setFinal("reference_grad_norm", Double(BLAS.norm2(reference.count, reference)))
        context.setFinal("reference_windows", Double(used))
    }
}
