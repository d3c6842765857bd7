import Engine
import Suite
import Tasks

/// A batch-size test as written in the config: `{kind: norm, theta: 0.5}` or
/// `{kind: inner-product, theta: 0.9, nu: 5.84}`, with `window` steps whose smallest proposal the
/// batch grows to.
struct BatchTestSpec: Codable, Sendable, Hashable {
    enum Kind: String, Codable, Sendable, CaseIterable, NamedChoice {
        case norm
        case innerProduct = "inner-product"
    }

    var kind: Kind
    var theta: Double
    var nu: Double?
    var window: Int?

    func make() throws -> any BatchSizeTest {
        let check = ConfigCheck("ssm-recsys batch test '\(kind.rawValue)'")
        try check(theta > 0 && theta.isFinite, "theta must be a positive number, got \(theta)")
        try check((window ?? 1) >= 1, "window must be ≥ 1, got \(window ?? 0)")
        switch kind {
        case .norm:
            return NormTest(theta: theta)
        case .innerProduct:
            guard let nu, nu > 0, nu.isFinite else { throw SuiteError("ssm-recsys batch test 'inner-product': needs nu (ν), a positive number") }
            return AugmentedInnerProductTest(theta: theta, nu: nu)
        }
    }
}

/// One way to train in the `adaptive` experiment: an optimizer, and a batch-size test or a fixed
/// batch.
struct TrainingSetting: Codable, Sendable, Hashable {
    var name: String
    var optimizer: OptimizerSpec
    var batchTest: BatchTestSpec?

    func validate() throws {
        try ConfigCheck("ssm-recsys adaptive setting '\(name)'") {
            _ = try optimizer.make()
            _ = try batchTest?.make()
        }
    }
}

/// Experiment `adaptive`: every model × setting trained for the same number of training sequences
/// (`epochs` passes over the windows), validation NDCG@10 measured `evaluations` times per epoch.
struct AdaptiveSweep: Codable, Sendable {
    var data: DataChoice
    var maxLength: Int
    /// Names of `models` trained here.
    var models: [String]
    /// Sequences per step of the fixed-batch settings, and the first batch of those with a test.
    var batch: Int
    var adaptiveStart: Int
    /// The largest batch a test may ask for.
    var maxBatch: Int
    /// Micro-batches per step (K ≥ 2: the tests estimate the gradient noise from them).
    var microBatches: Int
    var epochs: Int
    var evaluations: Int
    var seeds: Int

    func validate(_ scale: String, models known: [RecommenderSpec]) throws {
        let check = ConfigCheck("ssm-recsys adaptive")
        try check.counts(["maxLength": maxLength], in: scale, minimum: 2)
        try check(!models.isEmpty, "\(scale).models must name at least one model")
        for name in models {
            try check(known.contains { $0.name == name && $0.kind != .popularity },
                      "\(scale).models names '\(name)', which is not a trained model (models: \(known.map(\.name).joined(separator: ", ")))")
        }
        try check.counts(["batch": batch, "adaptiveStart": adaptiveStart, "maxBatch": maxBatch, "epochs": epochs, "evaluations": evaluations], in: scale)
        try check(maxBatch >= max(batch, adaptiveStart), "\(scale): need batch (\(batch)) and adaptiveStart (\(adaptiveStart)) ≤ maxBatch (\(maxBatch))")
        // The batch-size tests estimate the gradient noise from at least two micro-batches.
        try check.counts(["microBatches": microBatches], in: scale, minimum: 2)
        try check.seeds(["seeds": seeds], in: scale)
    }
}
