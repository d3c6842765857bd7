import Engine
import Suite
import Tasks

/// Section `char-lm` of `reproductions/heavy-tailed-clipping/experiments.yaml`: the real-model
/// experiment, scaled to this machine (a small character-level decoder on Tiny Shakespeare instead
/// of ALBERT fine-tuning), and the measurement of its minibatch gradient noise.
struct CharLMConfig: Codable, Sendable, ScaledSweeps {
    typealias Model = CharacterLMTask.Model

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
        try model.validate(check)
        try check(!methods.isEmpty, "needs at least one method")
        try check.unique(methods.map(\.name), "method")
        for method in methods { try check { _ = try method.optimizer.make() } }
        try check { _ = try noiseOptimizer.make() }
        for (scale, sweep) in sweeps {
            try check.seeds(["seeds": sweep.seeds], in: scale)
            try check.counts(["steps": sweep.steps, "batch": sweep.batch,
                              "evalEvery": sweep.evalEvery, "evalBatches": sweep.evalBatches], in: scale)
            try check.counts(["noiseSamples": sweep.noiseSamples], in: scale, minimum: 2)
            try check.counts(["noiseFullBatches": sweep.noiseFullBatches], in: scale, minimum: 0)
            try check(sweep.noiseCheckpoints.allSatisfy { $0 >= 0 }, "\(scale).noiseCheckpoints must be ≥ 0, got \(sweep.noiseCheckpoints)")
        }
    }
}
