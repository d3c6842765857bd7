import Engine
import Suite

/// A task of the benchmark, built for one run: the parameters an optimizer trains, the minibatch
/// gradients it sees, and the validation metric the tuning chooses by and the targets are set on.
/// Each paper's task is wrapped behind this seam once (`QuadraticWorkload`,
/// `LanguageModelWorkload`, …), so the training loop, the tuning protocol and the noise probe are
/// written once for all of them.
protocol BenchmarkWorkload: AnyObject {
    var store: ParameterStore { get }
    /// Draws one minibatch from `batches` and leaves the gradient of its loss in `store.grads`.
    func minibatchGradient(batches: inout RNG)
    /// The validation metric at the current parameters (`WorkloadSpec.metricLabel` says which, and
    /// `direction` which way it improves), and other validation numbers worth a column of the
    /// curves (the loss beside an error rate).
    func validate() -> (metric: Double, details: [(key: String, value: Double)])
    /// The gradient minibatch gradients scatter around at the current parameters: the exact one
    /// where it is known, else the mean over `batches` fixed batches (0: the whole train split).
    func referenceGradient(batches: Int) throws -> [Float]
    /// What training with `optimizer` needs at its peak; nil for a few vectors (synthetic problems).
    func memoryEstimate(optimizer: any Optimizer) -> MemoryEstimate?
    /// State besides the parameters that a checkpoint must hold for a continued run to compute the
    /// same bits (batch-norm running statistics, boundary compressors' memories); none by default.
    func save(into state: inout Checkpoint) throws
    func restore(from state: Checkpoint) throws
}

extension BenchmarkWorkload {
    func save(into state: inout Checkpoint) throws {}
    func restore(from state: Checkpoint) throws {}
}

/// A workload as a run's key holds it: its name and task, the step budget and how often the
/// validation metric is logged. Its target and learning-rate grid are analysis and sweep settings
/// (`WorkloadEntry`), so changing them re-reads runs instead of recomputing them.
struct WorkloadSpec: Codable, Hashable, Sendable {
    var name: String
    /// Exactly one task.
    var quadratic: QuadraticWorkload.Spec?
    var languageModel: LanguageModelWorkload.Spec?
    var image: ImageWorkload.Spec?
    var recommender: RecommenderWorkload.Spec?
    /// Optimizer steps of every run, tuning and final: the same budget for every optimizer.
    var steps: Int
    var evalEvery: Int

    /// What the validation metric is.
    var metricLabel: String {
        if quadratic != nil { return "f(x) − f*" }
        if image != nil { return "validation error" }
        if recommender != nil { return "validation NDCG@10" }
        return "validation loss (nats per character)"
    }

    /// A gap, an error or a loss falls as training goes well; a ranking score rises.
    var direction: MetricDirection { recommender != nil ? .higher : .lower }

    func make(rng: RNG) throws -> any BenchmarkWorkload {
        if let quadratic { return try QuadraticWorkload(quadratic, rng: rng) }
        if let languageModel { return try LanguageModelWorkload(languageModel, rng: rng) }
        if let image { return try ImageWorkload(image, rng: rng) }
        if let recommender { return try RecommenderWorkload(recommender, rng: rng) }
        throw SuiteError("workload '\(name)' names no task")
    }

    /// Rows a run logs: step 0 and every `evalEvery` steps, the last step always.
    var loggedRows: Int { (steps + evalEvery - 1) / evalEvery + 1 }

    func validate(_ check: ConfigCheck) throws {
        let section = "workload '\(name)'"
        try check([quadratic != nil, languageModel != nil, image != nil, recommender != nil].filter { $0 }.count == 1,
                  "\(section) must have exactly one task (quadratic, languageModel, image or recommender)")
        try check.counts(["steps": steps, "evalEvery": evalEvery], in: section)
        try check(evalEvery <= steps, "\(section): evalEvery \(evalEvery) exceeds the \(steps) steps")
        try quadratic?.validate(check, section: section)
        try languageModel?.validate(check, section: section)
        try image?.validate(check, section: section)
        try recommender?.validate(check, section: section)
    }
}

/// Which way a workload's validation metric improves; the choice of step size, the target and the
/// tail the claims read all follow it.
enum MetricDirection: Sendable {
    case lower, higher

    /// The value of a diverged run: worse than any number.
    var worst: Double { self == .lower ? .infinity : -.infinity }

    func isBetter(_ a: Double, than b: Double) -> Bool { self == .lower ? a < b : a > b }

    func reaches(_ value: Double, target: Double) -> Bool { self == .lower ? value <= target : value >= target }

    /// How a target reads: "≤ 0.2" or "≥ 0.05".
    var targetSymbol: String { self == .lower ? "≤" : "≥" }

    /// The quantile of the bad tail over seeds: 0.95 of a loss, 0.05 of a score.
    var badTail: Double { self == .lower ? 0.95 : 0.05 }
}
