import Engine
import Foundation

/// A group's final metric run by run, with each run's seed, so that two groups run with the same
/// seeds are compared seed by seed.
public struct RunValues: Sendable {
    public var seeds: [Int]
    public var values: [Double]

    public init(seeds: [Int], values: [Double]) {
        precondition(seeds.count == values.count, "one value per seed")
        self.seeds = seeds
        self.values = values
    }

    public func map(_ transform: (Double) -> Double) -> RunValues { RunValues(seeds: seeds, values: values.map(transform)) }

    /// Whether `other` holds the same seeds in the same order: then a comparison is paired.
    public func pairs(with other: RunValues) -> Bool { seeds == other.seeds }
}

/// One comparison a claim makes: a quantity estimated from the runs with its 95 % interval, and
/// the side of a threshold the claim puts it on. It **holds** when every value of the interval is
/// on that side, **fails** when none is, and is **inconclusive** when the interval reaches the
/// threshold, so a tie or a single run never decides a claim.
public struct Comparison: Sendable {
    public enum Relation: String, Sendable {
        case below = "<", atMost = "≤", above = ">", atLeast = "≥"

        func holds(_ value: Double, _ threshold: Double) -> Bool {
            switch self {
            case .below: return value < threshold
            case .atMost: return value <= threshold
            case .above: return value > threshold
            case .atLeast: return value >= threshold
            }
        }
    }

    /// What is estimated, e.g. "q0.9 ratio Clip-AdaGrad / AdaGrad".
    public var quantity: String
    public var estimate: Estimate
    public var relation: Relation
    public var threshold: Double
    /// Runs on each side of the comparison (one entry for a quantity of one group).
    public var runs: [Int]

    public init(_ quantity: String, _ estimate: Estimate, _ relation: Relation, _ threshold: Double, runs: [Int]) {
        self.quantity = quantity
        self.estimate = estimate
        self.relation = relation
        self.threshold = threshold
        self.runs = runs
    }

    public var decision: Claim.Decision {
        let (lower, upper) = (estimate.lower, estimate.upper)
        if lower.isNaN || upper.isNaN { return .inconclusive }
        // The values meeting the relation form a half-line, so the interval lies inside it iff
        // both ends do, and outside iff neither does.
        switch (relation.holds(lower, threshold), relation.holds(upper, threshold)) {
        case (true, true): return .holds
        case (false, false): return .fails
        default: return .inconclusive
        }
    }

    /// "q0.9 ratio Clip-AdaGrad / AdaGrad 0.0577 [0.0412, 0.0831], needs < 1".
    public var text: String {
        let interval = estimate.lower == estimate.upper ? "" : " [\(Self.format(estimate.lower)), \(Self.format(estimate.upper))]"
        return "\(quantity) \(Self.format(estimate.value))\(interval), needs \(relation.rawValue) \(Self.format(threshold))"
    }

    public var runsText: String { runs.map(String.init).joined(separator: " vs ") }

    static func format(_ v: Double) -> String {
        if v.isNaN { return "undefined" }
        if v.isInfinite { return v > 0 ? "∞" : "−∞" }
        return String(format: "%.4g", v)
    }
}

extension Comparison {
    /// mean(x) − mean(y), by a t interval (paired when x and y share their seeds).
    public static func meanDifference(_ quantity: String, _ x: RunValues, _ y: RunValues, _ relation: Relation, _ threshold: Double) -> Comparison {
        Comparison(quantity, MeanInterval.difference(x.values, y.values, paired: x.pairs(with: y)), relation, threshold,
                   runs: [x.values.count, y.values.count])
    }

    /// mean(x) / mean(y), by Fieller's interval (paired when x and y share their seeds).
    public static func meanRatio(_ quantity: String, _ x: RunValues, _ y: RunValues, _ relation: Relation, _ threshold: Double) -> Comparison {
        Comparison(quantity, MeanInterval.ratio(x.values, y.values, paired: x.pairs(with: y)), relation, threshold,
                   runs: [x.values.count, y.values.count])
    }

    /// q_p(x) / q_p(y), by a seeded bootstrap (paired when x and y share their seeds). A finite
    /// quantile over a diverged one is 0; two diverged ones have no ratio.
    public static func quantileRatio(_ quantity: String, _ p: Double, _ x: RunValues, _ y: RunValues,
                                     _ relation: Relation, _ threshold: Double) -> Comparison {
        bootstrap(quantity, x, y, relation, threshold) { a, b in
            let (qa, qb) = (Quantiles.of(a, p), Quantiles.of(b, p))
            if qb.isInfinite { return qa.isInfinite ? .nan : 0 }
            return qa / qb
        }
    }

    /// Any statistic of two groups, by a seeded bootstrap; the seed is derived from `quantity`.
    public static func bootstrap(_ quantity: String, _ x: RunValues, _ y: RunValues, _ relation: Relation, _ threshold: Double,
                                 statistic: ([Double], [Double]) -> Double) -> Comparison {
        let estimate = Bootstrap(label: quantity).interval(x.values, y.values, paired: x.pairs(with: y), statistic: statistic)
        return Comparison(quantity, estimate, relation, threshold, runs: [x.values.count, y.values.count])
    }
}
