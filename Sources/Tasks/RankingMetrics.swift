import Foundation

/// Full-ranking metrics of next-item recommendation (as RecBole's `Hit`, `NDCG`, `MRR` with one
/// relevant item per user), computed in one place for every recommender.
///
/// Candidates are every real item 1...items; the padding id 0 is never ranked. Items the user has
/// already seen stay candidates (RecBole's default for sequential models). A target's rank is the
/// number of other candidates scoring **at least** as high as it, so ties count against the model
/// (pessimistic): a model that scores everything equal ranks every target last, not first. A NaN
/// target score ranks last.
///   HR@K = 1[rank < K],  NDCG@K = 1[rank < K] / log₂(rank + 2),  MRR@K = 1[rank < K] / (rank + 1)
public struct RankingMetrics: Sendable, Codable {
    public let cutoffs: [Int]
    public private(set) var users = 0
    private var hits: [Double], ndcg: [Double], mrr: [Double]

    public init(cutoffs: [Int]) {
        precondition(!cutoffs.isEmpty && cutoffs.allSatisfy { $0 >= 1 }, "RankingMetrics: cutoffs must be ≥ 1, got \(cutoffs)")
        self.cutoffs = cutoffs
        hits = Array(repeating: 0, count: cutoffs.count)
        ndcg = hits
        mrr = hits
    }

    /// The 0-based pessimistic rank of `target` among items 1..<scores.count (`scores[0]` is padding).
    public static func rank(of target: Int, in scores: UnsafeBufferPointer<Float>) -> Int {
        precondition(target >= 1 && target < scores.count, "RankingMetrics: target item \(target) is not in 1...\(scores.count - 1)")
        let s = scores[target]
        guard !s.isNaN else { return scores.count - 2 }
        // Count candidates j ≥ 1 with !(score_j < s) (NaN candidates count against the target),
        // then remove the target itself; 16 lanes at a time.
        let x = scores.baseAddress!, n = scores.count
        let threshold = SIMD16<Float>(repeating: s)
        var lanes = SIMD16<Int32>(repeating: 0)
        var j = 1
        while j + 16 <= n {
            let v = UnsafeRawPointer(x + j).loadUnaligned(as: SIMD16<Float>.self)
            lanes.replace(with: lanes &+ 1, where: .!(v .< threshold))
            j += 16
        }
        var above = Int(lanes.wrappedSum())
        while j < n { if !(x[j] < s) { above += 1 }; j += 1 }
        return above - 1
    }

    public mutating func add(rank: Int) {
        users += 1
        for (i, k) in cutoffs.enumerated() where rank < k {
            hits[i] += 1
            ndcg[i] += 1 / Foundation.log2(Double(rank + 2))
            mrr[i] += 1 / Double(rank + 1)
        }
    }

    public mutating func merge(_ other: RankingMetrics) {
        precondition(other.cutoffs == cutoffs, "RankingMetrics: cannot merge cutoffs \(other.cutoffs) into \(cutoffs)")
        users += other.users
        for i in cutoffs.indices { hits[i] += other.hits[i]; ndcg[i] += other.ndcg[i]; mrr[i] += other.mrr[i] }
    }

    /// Means over the users added, named `hr@K`, `ndcg@K`, `mrr@K`.
    public var means: [(name: String, value: Double)] {
        let n = Double(max(users, 1))
        return cutoffs.indices.flatMap { i in
            [("hr@\(cutoffs[i])", hits[i] / n), ("ndcg@\(cutoffs[i])", ndcg[i] / n), ("mrr@\(cutoffs[i])", mrr[i] / n)]
        }
    }

    public func mean(_ name: String) -> Double? { means.first { $0.name == name }?.value }
}
