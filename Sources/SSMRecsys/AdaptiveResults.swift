import Engine
import Suite

/// One evaluation of an `adaptive` run: where in the budget it was taken and the validation score.
struct AdaptivePoint {
    var seconds: Double
    var sequences: Double
    var steps: Double
    var batch: Double
    var ndcg: Double
}

/// Reading the `adaptive` sweep: its models and settings, each run's evaluations, and the time each
/// run took to reach the target (95 % of the fixed-batch Adam setting's best validation NDCG@10).
extension ResultSet {
    static let adaptiveTargetFraction = 0.95

    func adaptiveModels() throws -> [(model: String, settings: [(group: String, setting: String)])] {
        try groups(AdaptiveExperiment.id, outer: "model", inner: "setting").map { (model: $0.outer, settings: $0.groups.map { (group: $0.group, setting: $0.inner) }) }
    }

    /// Per seed, the run's evaluations in order.
    func adaptivePoints(_ model: String, _ setting: String) throws -> [[AdaptivePoint]] {
        let group = AdaptiveExperiment.group(model, setting).name
        guard try groups(AdaptiveExperiment.id).contains(group) else {
            throw SuiteError("the \(AdaptiveExperiment.id) sweep has no group '\(group)' (has: \(try groups(AdaptiveExperiment.id).joined(separator: "; ")))")
        }
        func column(_ name: String) throws -> [[Double]] { try metricValues(AdaptiveExperiment.id, group: group, metric: name) }
        let (seconds, sequences, steps, batch, ndcg) = (try column("train_seconds"), try column("sequences"), try column("steps"),
                                                        try column("batch"), try column("val_ndcg@10"))
        return seconds.indices.map { seed in
            seconds[seed].indices.map { i in
                AdaptivePoint(seconds: seconds[seed][i], sequences: sequences[seed][i], steps: steps[seed][i], batch: batch[seed][i], ndcg: ndcg[seed][i])
            }
        }
    }

    /// 95 % of the mean over seeds of the best validation NDCG@10 that fixed-batch Adam reached.
    func adaptiveTarget(_ model: String) throws -> Double {
        let best = try adaptivePoints(model, SSMRecsys.adam).map { $0.map(\.ndcg).max() ?? .nan }
        return Self.adaptiveTargetFraction * Summary(best).mean
    }

    /// Per seed, the first evaluation at or above the target (nil where the budget ran out first).
    func adaptiveReach(_ model: String, _ setting: String) throws -> [AdaptivePoint?] {
        let target = try adaptiveTarget(model)
        return try adaptivePoints(model, setting).map { points in points.first { $0.ndcg >= target } }
    }
}
