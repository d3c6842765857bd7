/// Empirical quantiles, Hyndman & Fan type 7 (linear interpolation between order statistics; the
/// default of R, NumPy and PyTorch), so numbers here match what reviewers compute themselves.
public enum Quantiles {
    /// q_p of `values` for each p in `probabilities` (each in [0, 1]); NaNs are not allowed, ±∞ are.
    public static func of(_ values: [Double], _ probabilities: [Double]) -> [Double] {
        precondition(!values.isEmpty, "quantiles of an empty sample")
        precondition(!values.contains { $0.isNaN }, "quantiles of a sample containing NaN")
        let sorted = values.sorted()
        return probabilities.map { p in
            precondition((0...1).contains(p), "quantile probability \(p) outside [0, 1]")
            let h = Double(sorted.count - 1) * p
            let lo = Int(h.rounded(.down)), hi = Swift.min(lo + 1, sorted.count - 1)
            let fraction = h - Double(lo)
            // Written so that +∞ entries (diverged runs) give +∞ only where they are reached,
            // instead of 0·∞ = NaN, and −∞ (e.g. a difference whose other side diverged) gives −∞
            // up to the last of them.
            if fraction == 0 || sorted[hi] == sorted[lo] || sorted[lo] == -.infinity { return sorted[lo] }
            return sorted[lo] + fraction * (sorted[hi] - sorted[lo])
        }
    }

    public static func of(_ values: [Double], _ p: Double) -> Double { of(values, [p])[0] }
}
