import Engine
import Suite

/// One fine-tuning objective of the `orpo` experiment: cross-entropy (neither `rejected` nor
/// `lambda`), or ORPO with weight λ on the odds-ratio term and the hardest or a sampled item
/// rejected.
struct FineTuningMethod: Codable, Sendable, Equatable {
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
    var data: RecsysData
    var maxLength: Int
    var model: String
    var batch: Int
    var pretrainEpochs: Int
    var pretrainOptimizer: OptimizerSpec
    var epochs: Int
    var optimizer: OptimizerSpec
    var seeds: Int

    func validate() throws {
        let check = ConfigCheck("ssm-recsys orpo")
        try check(maxLength >= 2 && batch >= 1, "maxLength must be ≥ 2 and batch ≥ 1")
        try check(pretrainEpochs >= 1 && epochs >= 1 && seeds >= 1, "pretrainEpochs, epochs and seeds must be ≥ 1")
        try check {
            _ = try pretrainOptimizer.make()
            _ = try optimizer.make()
        }
    }
}
