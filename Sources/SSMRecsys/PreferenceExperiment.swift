import Engine
import Foundation
import Suite
import Tasks

/// Experiments `orpo-pretrain` and `orpo` (arXiv:2408.05606, direction 3: ORPO to improve the
/// recommendations). The recommender's softmax over items is the policy and each training target
/// a preference: the true next item is chosen, and the rejected item is the model's own
/// highest-scored wrong item (`hardest`) or one drawn uniformly (`sampled`). A model pre-trained
/// with cross-entropy (one run per seed, its parameters stored) is fine-tuned for the same number
/// of epochs by plain cross-entropy and by ORPO at several λ, from the same checkpoint and over the
/// same batches; test metrics are those of the best validation epoch of the fine-tuning.
enum PreferenceExperiment {
    static let pretrainID = "orpo-pretrain"
    static let id = "orpo"
    static let parametersFile = "parameters.bin"

    static func group(_ method: String) -> RunGroup { RunGroup(["method": method]) }

    static func make(_ config: RecsysConfig, scale: Scale, paper: String) throws -> [Experiment] {
        let sweep = config.orpo.sweep(scale)
        guard let model = config.trainedModel(sweep.model) else { throw SuiteError("ssm-recsys orpo: no trained model '\(sweep.model)'") }
        let pretrains = try (0..<sweep.seeds).map { seed in
            try RunConfig(paper: paper, experiment: pretrainID, group: RunGroup(["model": model.name]), seed: seed, typed: Pretraining(model, sweep))
        }
        var runs: [RunConfig] = []
        for method in config.orpoMethods {
            for seed in 0..<sweep.seeds {
                runs.append(try RunConfig(paper: paper, experiment: id, group: group(method.name), seed: seed,
                                          typed: FineTuning(method: method, pretrained: pretrains[seed], epochs: sweep.epochs, optimizer: sweep.optimizer)))
            }
        }
        return [
            Experiment(id: pretrainID, title: "\(model.name) pre-trained with cross-entropy for \(sweep.pretrainEpochs) epochs (one checkpoint per seed)",
                       runs: pretrains, parameters: Pretraining.self, execute: executePretrain),
            Experiment(id: id, title: "\(model.name) fine-tuned \(sweep.epochs) epochs: cross-entropy against ORPO (hardest and sampled rejected item)",
                       runs: runs, parameters: FineTuning.self, after: [pretrainID], execute: execute),
        ]
    }

    /// One pre-training of the model with cross-entropy, whose parameters every method of its seed
    /// starts from.
    struct Pretraining: RunParameters {
        @JSONEncoded var model: RecommenderSpec
        var data: DataChoice
        var maxLength: Int
        var batch: Int
        var epochs: Int
        @JSONEncoded var optimizer: OptimizerSpec

        init(_ model: RecommenderSpec, _ sweep: PreferenceSweep) {
            self.model = model
            optimizer = sweep.pretrainOptimizer
            (data, maxLength, batch, epochs) = (sweep.data, sweep.maxLength, sweep.batch, sweep.pretrainEpochs)
        }
    }

    /// One method's fine-tuning from the checkpoint of the pre-training run `pretrained`.
    struct FineTuning: RunParameters {
        @JSONEncoded var method: FineTuningMethod
        @JSONEncoded var pretrained: RunConfig
        var epochs: Int
        @JSONEncoded var optimizer: OptimizerSpec
    }

    /// The data, model and parameter store a pre-training run describes.
    static func setUp(_ pretrain: Pretraining, rng: RNG) throws -> (InteractionSequences, any SequentialRecommender, ParameterStore, Int) {
        let data = try InteractionSequences(pretrain.data)
        let (model, store) = try pretrain.model.build(items: data.items, maxLength: pretrain.maxLength, rng: rng)
        return (data, model, store, pretrain.maxLength)
    }

    @Sendable static func executePretrain(_ run: Pretraining, _ context: RunContext) throws {
        let (data, model, store, maxLength) = try setUp(run, rng: context.rng)
        var optimizer = try run.optimizer.make()
        let windows = data.trainingWindows(maxLength: maxLength)
        try context.admit(RecommenderTraining.memoryEstimate(model, store, optimizer, windows: windows, batch: run.batch,
                                                             rng: context.rng.stream("memory-estimate")))
        var step = 0, finished = 0
        context.expectedRows = run.epochs
        if let state = context.resume() {
            (finished, step) = (Int(try state.number("epochs")), Int(try state.number("step")))
            try state.read("parameters", into: &store.values)
            optimizer = try state.restore(optimizer, "optimizer")
        }
        for epoch in stride(from: finished + 1, through: run.epochs, by: 1) {
            var shuffle = context.rng.stream("order", epoch)
            var lossSum = 0.0, targets = 0
            for batch in QualityExperiment.batches(windows.map(\.inputs.count), batchSize: run.batch, rng: &shuffle) {
                let (loss, count) = QualityExperiment.trainStep(model, store, &optimizer, batch.map { windows[$0] },
                                                                mode: .training(rng: context.rng.stream("dropout", step)))
                lossSum += loss * Double(count)
                targets += count
                step += 1
            }
            try context.log(step: step, ["epoch": Double(epoch), "train_loss": lossSum / Double(max(targets, 1))])
            try context.checkpoint(try {
                var state = Checkpoint()
                state.numbers = ["epochs": Double(epoch), "step": Double(step)]
                state.set("parameters", store.values)
                try state.set("optimizer", optimizer: optimizer)
                return state
            }())
        }
        let validation = RankingEvaluation.evaluate(model, store, data, .validation, maxLength: maxLength)
        for (name, value) in QualityExperiment.columns("val", validation) { context.setFinal(name, value) }
        try ParameterFile.write(store, to: context.artifacts.appendingPathComponent(parametersFile))
    }

    @Sendable static func execute(_ run: FineTuning, _ context: RunContext) throws {
        let pretrain = try run.pretrained.typed(Pretraining.self)
        // The model's structure comes from the pre-training run; its values from the checkpoint.
        let (data, model, store, maxLength) = try setUp(pretrain, rng: RNG(seed: 0))
        try ParameterFile.read(into: store, from: try context.artifacts(of: run.pretrained).appendingPathComponent(parametersFile))
        let method = run.method
        var optimizer = try run.optimizer.make()
        let windows = data.trainingWindows(maxLength: maxLength)
        let batchSize = pretrain.batch
        // ORPO's hardest rejected item costs one more pass over the item scores than cross-entropy.
        let hardest = RecommenderTraining.Objective.orpo(lambda: 1, rejected: .hardest, rng: context.rng.stream("memory-estimate"))
        try context.admit(RecommenderTraining.memoryEstimate(model, store, optimizer, windows: windows, batch: batchSize,
                                                             objective: run.method.rejected == nil ? .crossEntropy : hardest,
                                                             rng: context.rng.stream("memory-estimate")))

        let start = RankingEvaluation.evaluate(model, store, data, .validation, maxLength: maxLength)
        for (name, value) in QualityExperiment.columns("start_val", start) { context.setFinal(name, value) }
        var step = 0, bestNDCG = -Double.infinity
        for epoch in 1...run.epochs {
            // The same batches, in the same order, for every method of a seed.
            var shuffle = context.rng.stream("order", epoch)
            var lossSum = 0.0, nll = 0.0, oddsRatio = 0.0, preferred = 0.0, targets = 0
            for batch in QualityExperiment.batches(windows.map(\.inputs.count), batchSize: batchSize, rng: &shuffle) {
                let objective: RecommenderTraining.Objective = method.rejected.map {
                    .orpo(lambda: method.lambda ?? 0, rejected: $0, rng: context.rng.stream("rejected", step))
                } ?? .crossEntropy
                let outcome = RecommenderTraining.gradient(model, store, batch.map { windows[$0] }, objective: objective,
                                                           mode: .training(rng: context.rng.stream("dropout", step)))
                optimizer.step(store)
                let n = Double(outcome.targets)
                lossSum += outcome.loss * n
                nll += (outcome.orpo?.negativeLogLikelihood ?? outcome.loss) * n
                oddsRatio += (outcome.orpo?.oddsRatioLoss ?? 0) * n
                preferred += (outcome.orpo?.preferredFraction ?? 0) * n
                targets += outcome.targets
                step += 1
            }
            let validation = RankingEvaluation.evaluate(model, store, data, .validation, maxLength: maxLength)
            let ndcg = validation.mean("ndcg@10") ?? 0
            if ndcg > bestNDCG {
                bestNDCG = ndcg
                let test = RankingEvaluation.evaluate(model, store, data, .test, maxLength: maxLength)
                context.setFinal("best_epoch", Double(epoch))
                for (name, value) in QualityExperiment.columns("best_val", validation) + QualityExperiment.columns("best_test", test) {
                    context.setFinal(name, value)
                }
            }
            let total = Double(max(targets, 1))
            var values: [(key: String, value: Double)] = [(key: "epoch", value: Double(epoch)), (key: "train_loss", value: lossSum / total),
                                                          (key: "nll", value: nll / total)]
            if !method.isCrossEntropy {
                values += [(key: "odds_ratio_loss", value: oddsRatio / total), (key: "preferred", value: preferred / total)]
            }
            try context.log(step: step, values + QualityExperiment.columns("val", validation))
        }
    }
}
