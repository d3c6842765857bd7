import Engine
import Suite

/// The gradient computations the experiments share: a batch of training windows → the hidden
/// states at its counted targets → a loss over the whole item table, backpropagated into the
/// parameter store's gradients (cleared first). Optimizer steps are the caller's.
public enum RecommenderTraining {
    /// What a batch is trained on: cross-entropy of the next item, or ORPO with that item chosen.
    public enum Objective {
        case crossEntropy
        /// `sampled`: rejected items drawn uniformly from the items other than the chosen one.
        case orpo(lambda: Float, rejected: RejectedItem, rng: RNG)
    }

    public enum RejectedItem: String, Codable, Sendable, CaseIterable, NamedChoice { case hardest, sampled }

    /// Per-batch outcome: the mean loss over `targets` counted positions, and ORPO's parts.
    public struct Outcome {
        public var loss: Double
        public var targets: Int
        public var orpo: ORPOStatistics?
    }

    /// What training `model` with `optimizer` on batches of `batch` windows needs at its peak
    /// (`MemoryEstimate`): a batch of the longest window is the largest step an epoch takes.
    public static func memoryEstimate(_ model: any SequentialRecommender, _ store: ParameterStore, _ optimizer: any Optimizer,
                               windows: [InteractionSequences.Window], batch: Int, objective: Objective = .crossEntropy,
                               other: [String: Int] = [:], rng: RNG) -> MemoryEstimate {
        guard let longest = windows.max(by: { $0.inputs.count < $1.inputs.count }) else {
            return MemoryEstimate(parameterBytes: 0, optimizerBytes: 0, stepBytes: 0, batch: batch)
        }
        // A batch holds at most every window once.
        return MemoryEstimate.measured(parameters: store, optimizer: optimizer, batch: min(batch, windows.count), other: other) { n in
            _ = gradient(model, store, Array(repeating: longest, count: n), objective: objective, mode: .training(rng: rng))
        }
    }

    /// Fills `store.grads` with the gradient of the mean loss over every counted target of `rows`.
    /// The softmax runs over all item ids (padding 0 included, as the official code's logits),
    /// fused with the scoring so the `[targets, items + 1]` logits are never stored.
    public static func gradient(_ model: any SequentialRecommender, _ store: ParameterStore, _ rows: [InteractionSequences.Window],
                         objective: Objective, mode: ForwardMode) -> Outcome {
        let batch = PaddedBatch(rows.map { $0.inputs[...] })
        var positions: [Int] = [], targets: [Int] = []
        for (r, row) in rows.enumerated() {
            for (t, target) in row.targets.enumerated() where target > 0 {
                positions.append(r * batch.length + t)
                targets.append(target)
            }
        }
        store.zeroGrads()
        let tape = Tape(parameters: store)
        let hidden = model(batch.ids, batch: batch.rows, mode: mode, on: tape)
        let d = hidden.shape[2]
        let selected = gatherRows(hidden.reshaped([batch.rows * batch.length, d]), ids: positions, shape: [positions.count])
        let table = tape.param(model.itemTable)
        switch objective {
        case .crossEntropy:
            let loss = projectedSoftmaxCrossEntropy(selected, table: table, targets: targets)
            tape.backward(loss)
            return Outcome(loss: Double(loss.value.item), targets: targets.count)
        case .orpo(let lambda, let rejectedItem, var rng):
            let rejected: ORPORejected
            switch rejectedItem {
            case .hardest: rejected = .hardest(excluding: [0])
            case .sampled:
                // Uniform over the items 1…V−1 other than the chosen one.
                let items = store.view(model.itemTable).shape[0] - 1
                rejected = .given(targets.map { chosen in
                    let draw = 1 + rng.int(below: items - 1)
                    return draw >= chosen ? draw + 1 : draw
                })
            }
            let (loss, statistics) = projectedORPOLoss(selected, table: table, chosen: targets, rejected: rejected, lambda: lambda)
            tape.backward(loss)
            return Outcome(loss: Double(loss.value.item), targets: targets.count, orpo: statistics)
        }
    }

    /// The gradient of a batch's mean loss assembled from `parts` micro-batches of similar length
    /// (the windows sorted by length, then cut into contiguous runs of near-equal count): each
    /// micro-batch's mean gradient goes into `micro`, whose target-weighted mean is the batch
    /// gradient written back into `store.grads` — the same gradient as one pass over the whole
    /// batch, with its noise statistics for the batch-size tests. Dropout draws one stream per
    /// micro-batch.
    public static func microBatchGradient(_ model: any SequentialRecommender, _ store: ParameterStore, _ rows: [InteractionSequences.Window],
                                   parts: Int, into micro: inout MicroBatchGradients, rng: RNG) -> (Outcome, GradientStatistics) {
        let sorted = rows.sorted { $0.inputs.count < $1.inputs.count }
        let k = min(parts, sorted.count)
        micro.reset()
        var lossSum = 0.0, targets = 0
        for j in 0..<k {
            let part = Array(sorted[(j * sorted.count / k)..<((j + 1) * sorted.count / k)])
            let outcome = gradient(model, store, part, objective: .crossEntropy, mode: .training(rng: rng.stream("micro", j)))
            micro.add(store, examples: outcome.targets)
            lossSum += outcome.loss * Double(outcome.targets)
            targets += outcome.targets
        }
        let statistics = micro.combine(into: store)
        return (Outcome(loss: lossSum / Double(max(targets, 1)), targets: targets), statistics)
    }
}
