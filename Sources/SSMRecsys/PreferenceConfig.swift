import Engine
import Suite
import Tasks

/// One fine-tuning objective of the `orpo` experiment: cross-entropy (neither `rejected` nor
/// `lambda`), or ORPO with weight λ on the odds-ratio term and the hardest or a sampled item
/// rejected.
struct FineTuningMethod: Codable, Sendable, Hashable {
    var name: String
    var rejected: RecommenderTraining.RejectedItem?
    var lambda: Float?

    func validate() throws {
        let check = ConfigCheck("ssm-recsys orpo method '\(name)'")
        try check((lambda ?? 0) >= 0 && (lambda ?? 0).isFinite, "lambda must be a number ≥ 0, got \(lambda ?? 0)")
        try check((rejected == nil) == (lambda == nil), "give both 'rejected' (hardest or sampled) and 'lambda' for ORPO, neither for cross-entropy")
    }

    var isCrossEntropy: Bool { rejected == nil }
}

/// Experiments `orpo-pretrain` and `orpo`: `model` pre-trained with cross-entropy for
/// `pretrainEpochs` once per seed, then fine-tuned `epochs` more epochs by each method from that
/// seed's checkpoint, with a fresh optimizer.
struct PreferenceSweep: Codable, Sendable {
    var data: DataChoice
    var maxLength: Int
    var model: String
    var batch: Int
    var pretrainEpochs: Int
    var pretrainOptimizer: OptimizerSpec
    var epochs: Int
    var optimizer: OptimizerSpec
    var seeds: Int

    func validate(_ scale: String, models known: [RecommenderSpec]) throws {
        let check = ConfigCheck("ssm-recsys orpo")
        try check(known.contains { $0.name == model && $0.kind != .popularity },
                  "\(scale).model '\(model)' is not a trained model (models: \(known.map(\.name).joined(separator: ", ")))")
        try check.counts(["maxLength": maxLength], in: scale, minimum: 2)
        try check.counts(["batch": batch, "pretrainEpochs": pretrainEpochs, "epochs": epochs], in: scale)
        try check.seeds(["seeds": seeds], in: scale)
        try ConfigCheck("\(check.context) \(scale).pretrainOptimizer") { _ = try pretrainOptimizer.make() }
        try ConfigCheck("\(check.context) \(scale).optimizer") { _ = try optimizer.make() }
    }
}
