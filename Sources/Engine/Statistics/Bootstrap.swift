/// Percentile bootstrap intervals (Efron & Tibshirani 1993, §13) for statistics that have no
/// closed-form interval: medians, upper quantiles and their ratios across two groups of runs.
///
/// Deterministic: the resamples are drawn from a generator seeded by `label` (the claim and the
/// quantity it compares), so the same runs always give the same interval, on every machine.
public struct Bootstrap: Sendable {
    public var resamples: Int
    public var seed: UInt64

    public static let defaultResamples = 4000
    /// Below this many runs a side, resampling sees too few distinct samples (3 runs give 10) and
    /// the percentile interval is far narrower than the truth; those comparisons get no interval.
    public static let minimumRuns = 10

    public init(label: String, resamples: Int = Bootstrap.defaultResamples) {
        precondition(resamples >= 100, "a bootstrap interval needs at least 100 resamples")
        self.resamples = resamples
        // FNV-1a of the label: stable across processes, unlike Swift's seeded `Hasher`.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in label.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        seed = hash
    }

    /// The interval of `statistic(x, y)` over resamples of the runs. `paired`: x and y are the same
    /// seeds in the same order and are resampled together, seed by seed; otherwise each group on
    /// its own. A statistic that is NaN on some resample leaves the interval undefined.
    public func interval(_ x: [Double], _ y: [Double], paired: Bool, statistic: ([Double], [Double]) -> Double) -> Estimate {
        precondition(!x.isEmpty && !y.isEmpty, "a bootstrap comparison needs runs on both sides")
        precondition(!paired || x.count == y.count, "a paired comparison needs as many runs on both sides")
        let value = statistic(x, y)
        let how = "\(paired ? "paired " : "")bootstrap, \(resamples) resamples"
        if min(x.count, y.count) < Self.minimumRuns {
            return .unbounded(value, "no interval: a bootstrap needs \(Self.minimumRuns) runs per side")
        }
        var rng = RNG(seed: seed)
        var (xs, ys) = (x, y)
        var draws = [Double](repeating: 0, count: resamples)
        for r in 0..<resamples {
            for i in xs.indices {
                let j = rng.int(below: x.count)
                xs[i] = x[j]
                if paired { ys[i] = y[j] }
            }
            if !paired { for i in ys.indices { ys[i] = y[rng.int(below: y.count)] } }
            draws[r] = statistic(xs, ys)
        }
        if draws.contains(where: \.isNaN) || value.isNaN {
            return Estimate(value: value, lower: .nan, upper: .nan, method: how + "; no interval: the statistic is undefined on some resamples")
        }
        let bounds = Quantiles.of(draws, [(1 - Estimate.level) / 2, (1 + Estimate.level) / 2])
        return Estimate(value: value, lower: bounds[0], upper: bounds[1], method: how)
    }
}
