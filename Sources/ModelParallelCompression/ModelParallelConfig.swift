import Engine
import Suite
import Tasks

/// `reproductions/model-parallel-compression/experiments.yaml`.
struct ModelParallelConfig: Codable, Sendable {
    /// S sequential stages; the S − 1 boundaries compress.
    var stages: Int
    var image: ImageConfig
    var lm: LMConfig
    var timeModel: TimeModelConfig
}

/// One compression setting of a sweep: a name for figures and tables, and what every boundary does.
struct ModelParallelMethod: Codable, Sendable {
    var name: String
    var boundary: BoundarySpec
    /// Key methods get `keySeeds` seeds instead of `seeds` (the grid points the claims read).
    var key: Bool?
}

/// Experiment `image`: a ResNet on Fashion-MNIST split into stages.
struct ImageConfig: Codable, Sendable, ScaledSweeps {
    struct Sweep: Codable, Sendable {
        var data: DataChoice
        /// The first `trainSize` training and `testSize` test images (all when absent).
        var trainSize: Int?
        var testSize: Int?
        var epochs: Int
        var batch: Int
        var optimizer: OptimizerSpec
        /// Random 28×28 crops of the image padded by 2 pixels, and horizontal flips.
        var augment: Bool
        var seeds: Int
        var keySeeds: Int
    }

    var model: ResNet.Config
    var methods: [ModelParallelMethod]
    var quick: Sweep
    var full: Sweep
}

/// Experiments `lm-pretrain` and `lm`: a character-level decoder pre-trained once without
/// compression, then fine-tuned with compression between its stages.
struct LMConfig: Codable, Sendable, ScaledSweeps {
    struct Pretrain: Codable, Sendable {
        var steps: Int
        var batch: Int
        var optimizer: OptimizerSpec
    }

    struct Sweep: Codable, Sendable {
        var data: DataChoice
        var pretrain: Pretrain
        /// The fixed training windows of the fine-tuning set (AQ-SGD keeps one memory per window).
        var windows: Int
        var epochs: Int
        var batch: Int
        var optimizer: OptimizerSpec
        /// Validation batches of `batch` windows, spread evenly over the validation split.
        var evalBatches: Int
        var seeds: Int
        var keySeeds: Int
    }

    var model: CharacterLMTask.Model
    var methods: [ModelParallelMethod]
    var quick: Sweep
    var full: Sweep
}

/// The communication-time model: per step, compute time plus every boundary's bits over the link.
struct TimeModelConfig: Codable, Sendable {
    /// Link bandwidths in bit/s.
    var bandwidths: [Double]
    /// Target test accuracy as a fraction of the uncompressed run's final accuracy.
    var targetFraction: Double
}

extension ModelParallelConfig: ValidatedConfig {
    /// Both scales are checked whichever one runs: a broken full sweep is a broken file.
    func validate() throws {
        let check = ConfigCheck("model-parallel-compression")
        try check.counts(["stages": stages], minimum: 2)
        try image.validate(stages: stages)
        try lm.validate(stages: stages)
        try timeModel.validate(ConfigCheck("model-parallel-compression timeModel"))
    }
}

extension ModelParallelMethod {
    static func validate(_ methods: [ModelParallelMethod], _ check: ConfigCheck) throws {
        try check(!methods.isEmpty, "methods must list at least one method")
        try check.unique(methods.map(\.name), "method")
        for method in methods {
            try ConfigCheck("\(check.context) method '\(method.name)'") { try method.boundary.validate() }
        }
    }
}

extension ImageConfig {
    func validate(stages: Int) throws {
        let check = ConfigCheck("model-parallel-compression image")
        try check.counts(["baseWidth": model.baseWidth], in: "model")
        try check(!model.blocks.isEmpty && model.blocks.allSatisfy { (1...64).contains($0) },
                  "model.blocks must list 1…64 blocks per layer, got \(model.blocks)")
        // The data is Fashion-MNIST, and every ResNet layer is one stage (the cut follows each layer).
        try check(model.inputChannels == 1 && model.height == 28 && model.width == 28 && model.classes == 10,
                  "model must read Fashion-MNIST: inputChannels 1, height 28, width 28, classes 10")
        try check(model.blocks.count == stages, "stages (\(stages)) must equal the ResNet's layers (model.blocks has \(model.blocks.count))")
        try ModelParallelMethod.validate(methods, check)
        for (scale, sweep) in sweeps {
            try check.counts(["epochs": sweep.epochs], in: scale)
            try check.counts(["batch": sweep.batch], in: scale, minimum: 2)
            try check.seeds(["seeds": sweep.seeds, "keySeeds": sweep.keySeeds], in: scale)
            try check.counts(["trainSize": sweep.trainSize ?? sweep.batch], in: scale, minimum: sweep.batch)
            try check.counts(["testSize": sweep.testSize ?? 1], in: scale)
            try ConfigCheck("\(check.context) \(scale).optimizer") { _ = try sweep.optimizer.make() }
        }
    }
}

extension LMConfig {
    func validate(stages: Int) throws {
        let check = ConfigCheck("model-parallel-compression lm")
        try model.validate(check)
        try check(model.layers >= stages, "the decoder needs at least one block per stage (\(model.layers) blocks, \(stages) stages)")
        try ModelParallelMethod.validate(methods, check)
        for (scale, sweep) in sweeps {
            try check.counts(["pretrain.steps": sweep.pretrain.steps, "pretrain.batch": sweep.pretrain.batch,
                              "epochs": sweep.epochs, "batch": sweep.batch, "evalBatches": sweep.evalBatches], in: scale)
            try check.counts(["windows": sweep.windows], in: scale, minimum: sweep.batch)
            try check.seeds(["seeds": sweep.seeds, "keySeeds": sweep.keySeeds], in: scale)
            try ConfigCheck("\(check.context) \(scale).pretrain.optimizer") { _ = try sweep.pretrain.optimizer.make() }
            try ConfigCheck("\(check.context) \(scale).optimizer") { _ = try sweep.optimizer.make() }
        }
    }
}

extension TimeModelConfig {
    func validate(_ check: ConfigCheck) throws {
        try check(!bandwidths.isEmpty && bandwidths.allSatisfy { $0 > 0 && $0.isFinite },
                  "bandwidths must list positive, finite bit/s, got \(bandwidths)")
        try check(targetFraction > 0 && targetFraction <= 1, "targetFraction must lie in (0, 1], got \(targetFraction)")
    }
}
