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
/// are read from `reproductions/model-parallel-compression/experiments.yaml`; `defaults` is the
/// same sweep, used when the file is absent.
public struct ModelParallelCompression: Reproduction {
    public init() {}

    public var id: String { "model-parallel-compression" }
    public var title: String { "Activations and gradients compression for model-parallel training" }
    public var citation: String { "arXiv:2401.07788" }
    public var officialCode: [CodeLink] { [CodeLink("the authors' notebooks", url: "https://github.com/Glemhel/ActivationsGradientsCompressionForMP")] }
    public var datasets: [String] { ["fashion-mnist", "tinyshakespeare"] }

    public func experiments(scale: Scale, configDirectory: URL) throws -> [Experiment] {
        let config = try ConfigFile.load(ModelParallelConfig.self, from: configDirectory.appendingPathComponent("experiments.yaml")) ?? Self.defaults
        return [try ImageExperiment.make(config.image, stages: config.stages, timeModel: config.timeModel, scale: scale, paper: id)]
            + (try LanguageModelExperiments.make(config.lm, stages: config.stages, scale: scale, paper: id))
    }

    public var figures: [FigureRequest] { MPFigures.requests }
    public var tables: [TableRequest] { MPTables.requests }
    public var claims: [Claim] { MPClaims.all }

    static func topK(_ k: Double, forward: Bool = true, backward: Bool = true, _ compensation: BoundarySpec.Compensation = .none,
                     warmup: Int = 0) -> BoundarySpec {
        BoundarySpec(forward: forward ? .topK(k) : .none, backward: backward ? .topK(k) : .none, compensation: compensation, warmupEpochs: warmup)
    }

    /// A sweep entry; `key` methods get the sweep's `keySeeds` (nil rather than false otherwise, as
    /// experiments.yaml leaves the flag out).
    static func method(_ name: String, _ boundary: BoundarySpec, key: Bool = false) -> MPMethod {
        MPMethod(name: name, boundary: boundary, key: key ? true : nil)
    }

    static let defaults: ModelParallelConfig = {
        let ks = [0.05, 0.1, 0.2, 0.3, 0.5]
        func percent(_ k: Double) -> String { "\(Int((k * 100).rounded()))%" }
        var image: [MPMethod] = [method("none", .identity, key: true)]
        for k in ks {
            image.append(method("Top\(percent(k))", topK(k), key: [0.05, 0.1, 0.3].contains(k)))
            image.append(method("fw Top\(percent(k))", topK(k, backward: false), key: k == 0.05))
            image.append(method("bw Top\(percent(k))", topK(k, forward: false), key: k == 0.05))
        }
        for b in [2, 4, 8] {
            image.append(method("Q\(b)", BoundarySpec(forward: .quantization(bits: b), backward: .quantization(bits: b))))
            image.append(method("fw Q\(b)", BoundarySpec(forward: .quantization(bits: b)), key: b == 2))
            image.append(method("bw Q\(b)", BoundarySpec(backward: .quantization(bits: b)), key: b == 2))
        }
        for k in [0.1, 0.3] {
            image.append(method("EF Top\(percent(k))", topK(k, .ef), key: k == 0.1))
            if k == 0.1 { image.append(method("EF-bw Top10%", topK(k, .efGradients))) }
            image.append(method("EF21 Top\(percent(k))", topK(k, .ef21)))
            image.append(method("AQ-SGD Top\(percent(k))", topK(k, .aqsgd, warmup: 1), key: true))
        }
        let lmMethods = [method("none", .identity, key: true)]
            + [0.1, 0.2, 0.3].map { k in
                method("Top\(percent(k)) shared", BoundarySpec(forward: .topK(k), backwardMask: .shared), key: true)
            }
            + [0.1, 0.3].map { k in method("Top\(percent(k))", topK(k)) }
            + [method("FP4/FP2", BoundarySpec(forward: .fixpoint(bits: 4), backward: .fixpoint(bits: 2))),
               method("EF Top10%", topK(0.1, .ef)),
               method("AQ-SGD FP4", BoundarySpec(forward: .fixpoint(bits: 4), backward: .fixpoint(bits: 8),
                                                                 compensation: .aqsgd, warmupEpochs: 1)),
               method("AQ-SGD Top10%", topK(0.1, .aqsgd, warmup: 1))]
        let sgd = OptimizerSpec(method: .sgd, lr: 0.05, beta: 0.9, weightDecay: 5e-4)
        let adamw = OptimizerSpec(method: .adamw, lr: 3e-4, weightDecay: 0.01)
        return ModelParallelConfig(
            stages: 4,
            image: ImageConfig(
                model: ResNet.Config(inputChannels: 1, height: 28, width: 28, classes: 10, baseWidth: 16, blocks: [1, 1, 1, 1]),
                methods: image,
                quick: .init(data: .sample, trainSize: nil, testSize: nil, epochs: 3, batch: 50, optimizer: sgd, augment: false, seeds: 2, keySeeds: 2),
                full: .init(data: .full, trainSize: 6000, testSize: 1000, epochs: 4, batch: 128, optimizer: sgd, augment: false, seeds: 1, keySeeds: 5)),
            lm: LMConfig(
                model: .init(layers: 4, width: 128, heads: 4, context: 64),
                methods: lmMethods,
                quick: .init(data: .sample, pretrain: .init(steps: 200, batch: 16, optimizer: .init(method: .adamw, lr: 3e-3, weightDecay: 0.01)),
                             windows: 128, epochs: 2, batch: 16, optimizer: adamw, evalBatches: 4, seeds: 2, keySeeds: 2),
                full: .init(data: .full, pretrain: .init(steps: 2000, batch: 32, optimizer: .init(method: .adamw, lr: 3e-3, weightDecay: 0.01)),
                            windows: 2048, epochs: 3, batch: 32, optimizer: adamw, evalBatches: 16, seeds: 1, keySeeds: 5)),
            timeModel: TimeModelConfig(bandwidths: [1e8, 1e9, 1e10], targetFraction: 0.97))
    }()
}
