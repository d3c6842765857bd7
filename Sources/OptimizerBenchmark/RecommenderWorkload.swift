import Engine
import Suite
import Tasks

/// The SSM-recommender paper's task as a workload: SASRec or Mamba4Rec on Amazon Video Games,
/// trained with cross-entropy over all items on users' training windows (`batch` windows per step,
/// drawn with replacement). The validation metric is NDCG@10 of full ranking on the validation
/// items of `validationUsers` users spread evenly over those who have one (the same users for every
/// optimizer and seed; all when absent), the paper's metric and its early-stopping criterion. It is
/// the benchmark's one higher-is-better metric; HR@10 and MRR@10 are logged beside it.
final class RecommenderWorkload: BenchmarkWorkload {
    struct Spec: Codable, Hashable, Sendable {
        var model: RecommenderSpec
        var data: DataChoice
        /// Items a window reads (SASRec's positions).
        var maxLength: Int
        var batch: Int
        var validationUsers: Int?

        func validate(_ check: ConfigCheck, section: String) throws {
            try check(model.kind == .sasrec || model.kind == .mamba4rec,
                      "\(section): recommender.model.kind must be sasrec or mamba4rec, got \(model.kind.rawValue)")
            try model.validate("\(check.context): \(section)")
            try check.counts(["recommender.maxLength": maxLength], in: section, minimum: 2)
            try check.counts(["recommender.batch": batch, "recommender.validationUsers": validationUsers ?? 1], in: section)
        }
    }

    let store: ParameterStore
    private let model: any SequentialRecommender
    private let data: InteractionSequences
    private let windows: [InteractionSequences.Window]
    private let validationUsers: [Int]
    private let spec: Spec
    /// Minibatches drawn so far: dropout's stream is keyed by it.
    private var steps = 0

    init(_ spec: Spec, rng: RNG) throws {
        data = try InteractionSequences(spec.data)
        windows = data.trainingWindows(maxLength: spec.maxLength)
        guard !windows.isEmpty else { throw SuiteError("\(data.provenance) has no user with two training items") }
        let evaluated = data.evaluatedUsers(.validation)
        let n = min(spec.validationUsers ?? evaluated.count, evaluated.count)
        validationUsers = (0..<n).map { evaluated[$0 * evaluated.count / n] }
        (model, store) = try spec.model.build(items: data.items, maxLength: spec.maxLength, rng: rng)
        self.spec = spec
    }

    func minibatchGradient(batches: inout RNG) {
        let rows = (0..<spec.batch).map { _ in windows[batches.int(below: windows.count)] }
        _ = RecommenderTraining.gradient(model, store, rows, objective: .crossEntropy, mode: .training(rng: batches.stream("dropout", steps)))
        steps += 1
    }

    func validate() -> (metric: Double, details: [(key: String, value: Double)]) {
        // Overflowed parameters score every item NaN, which ranks each target last (NDCG 0) and
        // would read as a poor run, not a diverged one.
        guard store.values.withUnsafeBufferPointer({ $0.allSatisfy(\.isFinite) }) else { return (.nan, [("hr@10", .nan), ("mrr@10", .nan)]) }
        let metrics = RankingEvaluation.evaluate(model, store, data, .validation, maxLength: spec.maxLength, users: validationUsers)
        return (metrics.mean("ndcg@10") ?? .nan, [("hr@10", metrics.mean("hr@10") ?? .nan), ("mrr@10", metrics.mean("mrr@10") ?? .nan)])
    }

    /// The target-weighted mean over the windows (a minibatch's loss is the mean over its targets),
    /// dropout applied as in training.
    func referenceGradient(batches: Int) throws -> [Float] {
        let used = batches > 0 ? min(windows.count, batches * spec.batch) : windows.count
        let dropout = RNG(seed: 0)
        return store.meanGradient(items: used, batch: spec.batch, examples: { range in
            self.windows[range].reduce(0) { $0 + $1.targets.count { $0 > 0 } }
        }, gradient: { range in
            _ = RecommenderTraining.gradient(self.model, self.store, Array(self.windows[range]), objective: .crossEntropy,
                                             mode: .training(rng: dropout.stream("reference", range.lowerBound)))
        })
    }

    func memoryEstimate(optimizer: any Optimizer) -> MemoryEstimate? {
        RecommenderTraining.memoryEstimate(model, store, optimizer, windows: windows, batch: spec.batch,
                                           other: ["reference gradient": store.count * MemoryLayout<Float>.size],
                                           rng: RNG(seed: 0).stream("memory-estimate"))
    }

    func save(into state: inout Checkpoint) throws {
        state.numbers["recommender_steps"] = Double(steps)
    }

    func restore(from state: Checkpoint) throws {
        steps = Int(try state.number("recommender_steps"))
    }
}
