import Engine
import Suite

/// Section `char-lm` of `reproductions/heavy-tailed-clipping/experiments.yaml`: the real-model
/// experiment, scaled to this machine (a small character-level decoder on Tiny Shakespeare instead
/// of ALBERT fine-tuning), and the measurement of its minibatch gradient noise.
struct CharLMConfig: Codable, Sendable {
    typealias Model = CharacterLMTask.Model
    typealias DataChoice = CharacterLMTask.DataChoice

    struct Sweep: Codable, Sendable {
        var data: DataChoice
        var steps: Int
        var seeds: Int
        var batch: Int
        /// Validation loss every `evalEvery` steps on `evalBatches` fixed batches of the validation split.
        var evalEvery: Int
        var evalBatches: Int
        /// Gradient-noise probe: steps of `noiseOptimizer` before each measurement.
        var noiseCheckpoints: [Int]
        /// Minibatch gradients drawn at each checkpoint.
        var noiseSamples: Int
        /// Batches averaged for the reference ("full") gradient; 0 = every window of the train split.
        var noiseFullBatches: Int
    }

    var model: Model
    var methods: [SyntheticConfig.Method]
    /// The optimizer that brings the model to each noise checkpoint.
    var noiseOptimizer: OptimizerSpec
    var quick: Sweep
    var full: Sweep
}

extension CharLMConfig {
    func validate() throws {
        let check = ConfigCheck("heavy-tailed-clipping char-lm")
        try check(model.layers >= 1 && model.width >= 1 && model.heads >= 1 && model.context >= 1 && model.width % model.heads == 0,
                  "model needs layers, width, heads and context ≥ 1 with width divisible by heads")
        try check(!methods.isEmpty, "needs at least one method")
        for method in methods { try check { _ = try method.optimizer.make() } }
        try check { _ = try noiseOptimizer.make() }
        for (scale, sweep) in [("quick", quick), ("full", full)] {
            try check(sweep.steps >= 1 && sweep.seeds >= 1 && sweep.batch >= 1 && sweep.evalEvery >= 1 && sweep.evalBatches >= 1,
                      "\(scale): steps, seeds, batch, evalEvery and evalBatches must be ≥ 1")
            try check(sweep.noiseSamples >= 2 && sweep.noiseFullBatches >= 0 && sweep.noiseCheckpoints.allSatisfy { $0 >= 0 },
                      "\(scale): noiseSamples must be ≥ 2, noiseFullBatches ≥ 0 and noiseCheckpoints ≥ 0")
        }
    }
}
