import Engine
import Suite
import Tasks

/// A decoder on Tiny Shakespeare as a workload: the heavy-tailed-clipping paper's character decoder
/// (`style: gpt`) or the sign-methods paper's LLaMA-style model (`style: llama`, RMSNorm and a
/// SiLU-gated MLP). Minibatches are `batch` windows at random offsets of the train split; the
/// validation metric is the mean cross-entropy over `evalBatches` batches of windows spread evenly
/// over the validation split, the same windows for every optimizer and seed.
final class LanguageModelWorkload: BenchmarkWorkload {
    struct Spec: Codable, Hashable, Sendable {
        var model: CharacterLMTask.Model
        var data: DataChoice
        var batch: Int
        var evalBatches: Int

        func validate(_ check: ConfigCheck, section: String) throws {
            try model.validate(ConfigCheck("\(check.context): \(section)"))
            try check.counts(["batch": batch, "evalBatches": evalBatches], in: section)
        }
    }

    private let task: CharacterLMTask
    private let spec: Spec
    var store: ParameterStore { task.store }

    init(_ spec: Spec, rng: RNG) throws {
        task = try CharacterLMTask(model: spec.model, data: spec.data, rng: rng)
        self.spec = spec
    }

    func minibatchGradient(batches: inout RNG) {
        _ = task.loss(task.train, offsets: task.randomOffsets(spec.batch, rng: &batches), gradient: true)
    }

    func validate() -> (metric: Double, details: [(key: String, value: Double)]) {
        (task.validationLoss(batches: spec.evalBatches, batch: spec.batch), [])
    }

    func referenceGradient(batches: Int) -> [Float] { task.meanGradient(batches: batches, batch: spec.batch).gradient }

    func memoryEstimate(optimizer: any Optimizer) -> MemoryEstimate? {
        task.memoryEstimate(optimizer: optimizer, batch: spec.batch, other: ["reference gradient": task.store.count * MemoryLayout<Float>.size])
    }
}
