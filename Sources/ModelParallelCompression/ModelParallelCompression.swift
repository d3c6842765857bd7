import Engine
import Foundation
import Suite

/// "Activations and Gradients Compression for Model-Parallel Training" (Rudakov, Beznosikov,
/// Kholodov, Gasnikov; arXiv:2401.07788, Doklady Mathematics 2024).
///
/// A model is split into sequential stages; at every boundary the activation (forward) and its
/// gradient (backward) cross through a compressor (TopK, quantization), optionally with error
/// compensation (EF, EF21, AQ-SGD). Experiments: `image` (a ResNet on Fashion-MNIST), `lm-pretrain`
/// and `lm` (a character-level decoder pre-trained, then fine-tuned with compression). Figures
/// include a communication-time model built from the measured bits and compute time. The sweeps
/// are read from `reproductions/model-parallel-compression/experiments.yaml`, the only place they
/// are written.
public struct ModelParallelCompression: Reproduction {
    public init() {}

    public var id: String { "model-parallel-compression" }
    public var title: String { "Activations and gradients compression for model-parallel training" }
    public var citation: String { "arXiv:2401.07788" }
    public var officialCode: [CodeLink] { [CodeLink("the authors' notebooks", url: "https://github.com/Glemhel/ActivationsGradientsCompressionForMP")] }
    public var datasets: [String] { ["fashion-mnist", "tinyshakespeare"] }

    public func experiments(scale: Scale, configDirectory: URL) throws -> [Experiment] {
        let config = try ConfigFile.load(ModelParallelConfig.self, from: configDirectory.appendingPathComponent("experiments.yaml"))
        return [try ImageExperiment.make(config.image, stages: config.stages, timeModel: config.timeModel, scale: scale, paper: id)]
            + (try LanguageModelExperiments.make(config.lm, stages: config.stages, scale: scale, paper: id))
    }

    public var figures: [FigureRequest] { ModelParallelFigures.requests }
    public var tables: [TableRequest] { ModelParallelTables.requests }
    public var claims: [Claim] { ModelParallelClaims.all }

    static func topK(_ k: Double, forward: Bool = true, backward: Bool = true, _ compensation: BoundarySpec.Compensation = .none,
                     warmup: Int = 0) -> BoundarySpec {
        BoundarySpec(forward: forward ? .topK(k) : .none, backward: backward ? .topK(k) : .none, compensation: compensation, warmupEpochs: warmup)
    }

    /// A sweep entry; `key` methods get the sweep's `keySeeds` (nil rather than false otherwise, as
    /// experiments.yaml leaves the flag out).
    static func method(_ name: String, _ boundary: BoundarySpec, key: Bool = false) -> ModelParallelMethod {
        ModelParallelMethod(name: name, boundary: boundary, key: key ? true : nil)
    }

}
