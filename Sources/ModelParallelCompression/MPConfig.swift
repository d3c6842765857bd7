import Engine
import Suite

/// `reproductions/model-parallel-compression/experiments.yaml`.
struct ModelParallelConfig: Codable, Sendable {
    /// S sequential stages; the S − 1 boundaries compress.
    var stages: Int
    var image: ImageConfig
    var lm: LMConfig
    var timeModel: TimeModelConfig
}

/// One compression setting of a sweep: a name for figures and tables, and what every boundary does.
struct MPMethod: Codable, Sendable {
    var name: String
    var boundary: BoundarySpec
    /// Key methods get `keySeeds` seeds instead of `seeds` (the grid points the claims read).
    var key: Bool?
}

/// Where a sweep's data comes from: the sample shipped in `datasets/samples` (quick) or the real
/// dataset (full; imported or found in the system's dataset folder).
enum MPData: String, Codable, Sendable, CaseIterable, NamedChoice { case sample, full }

/// Experiment `image`: a ResNet on Fashion-MNIST split into stages.
struct ImageConfig: Codable, Sendable {
    struct Sweep: Codable, Sendable {
        var data: MPData
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
    var methods: [MPMethod]
    var quick: Sweep
    var full: Sweep
}

/// Experiments `lm-pretrain` and `lm`: a character-level decoder pre-trained once without
/// compression, then fine-tuned with compression between its stages.
struct LMConfig: Codable, Sendable {
    struct Pretrain: Codable, Sendable {
        var steps: Int
        var batch: Int
        var optimizer: OptimizerSpec
    }

    struct Sweep: Codable, Sendable {
        var data: MPData
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
    var methods: [MPMethod]
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
