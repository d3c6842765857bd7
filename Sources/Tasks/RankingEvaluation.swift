import Engine
import Suite
import Tasks

/// Full-ranking evaluation: every evaluated user's scores over all items, ranked by
/// `RankingMetrics` (padding excluded, seen items kept, ties pessimistic).
public enum RankingEvaluation {
    public static let cutoffs = [10, 20]
    /// Users scored per forward pass (one `[users, items + 1]` score matrix at a time).
    public static let usersPerBatch = 256

    /// Metrics of `model` on `split`, reading up to `maxLength` items per user: every evaluated
    /// user of the split, or only `users` (each with a held-out item in it).
    public static func evaluate(_ model: any SequentialRecommender, _ store: ParameterStore, _ data: InteractionSequences,
                                _ split: InteractionSequences.Split, maxLength: Int, users subset: [Int]? = nil) -> RankingMetrics {
        var metrics = RankingMetrics(cutoffs: cutoffs)
        let users = inputsByLength(data, split, maxLength: maxLength, users: subset)
        for start in stride(from: 0, to: users.count, by: usersPerBatch) {
            let chunk = users[start..<min(start + usersPerBatch, users.count)]
            let scores = lastPositionScores(model, store, chunk.map(\.input))
            rank(scores, targets: chunk.map { data.target($0.user, split) }, into: &metrics)
        }
        return metrics
    }

    /// The evaluated users of `split` (or `users`) with the items the model reads, shortest input
    /// first: users of similar history length share a batch, so little compute goes to padding.
    public static func inputsByLength(_ data: InteractionSequences, _ split: InteractionSequences.Split, maxLength: Int,
                                      users: [Int]? = nil) -> [(user: Int, input: ArraySlice<Int>)] {
        (users ?? data.evaluatedUsers(split)).map { (user: $0, input: data.input($0, split, maxLength: maxLength)) }
            .sorted { ($0.input.count, $0.user) < ($1.input.count, $1.user) }
    }

    /// Scores `[sequences, items + 1]` of the next item after each (non-empty) sequence.
    public static func lastPositionScores(_ model: any SequentialRecommender, _ store: ParameterStore, _ sequences: [ArraySlice<Int>]) -> Tensor {
        let batch = PaddedBatch(sequences)
        let tape = Tape(parameters: store, recording: false)
        let h = model.hidden(batch.ids, batch: batch.rows, at: sequences.map { max($0.count, 1) - 1 }, mode: .evaluation, on: tape)
        return model.scores(h).value
    }

    /// Adds each row's target rank to `metrics`.
    public static func rank(_ scores: Tensor, targets: [Int], into metrics: inout RankingMetrics) {
        let width = scores.shape[1]
        scores.withUnsafeBufferPointer { p in
            for (r, target) in targets.enumerated() {
                metrics.add(rank: RankingMetrics.rank(of: target, in: UnsafeBufferPointer(rebasing: p[(r * width)..<((r + 1) * width)])))
            }
        }
    }

    /// The popularity ranking: every user gets the items' training frequencies as scores.
    public static func popularity(_ data: InteractionSequences, _ split: InteractionSequences.Split) -> RankingMetrics {
        var metrics = RankingMetrics(cutoffs: cutoffs)
        let counts = data.itemCounts()
        counts.withUnsafeBufferPointer { p in
            for user in data.evaluatedUsers(split) { metrics.add(rank: RankingMetrics.rank(of: data.target(user, split), in: p)) }
        }
        return metrics
    }
}
