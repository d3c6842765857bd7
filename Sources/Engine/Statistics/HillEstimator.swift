import Foundation

/// Hill's (1975) estimator of the tail index α from the k largest of n positive observations:
/// 1/α̂ = (1/k)·Σ_{i<k} log(X_(i)/X_(k)), with X_(0) ≥ X_(1) ≥ … the descending order statistics.
/// Consistent for Pareto-type tails as k → ∞, k/n → 0; used to tell whether gradient noise norms
/// are heavy-tailed (α̂ < 2: infinite variance).
public enum HillEstimator {
    public static func tailIndex(_ values: [Double], k: Int) -> Double {
        let positive = values.filter { $0 > 0 }.sorted(by: >)
        precondition(k >= 1 && k < positive.count,
                     "Hill estimator needs 1 ≤ k < number of positive observations (\(positive.count)), got k=\(k)")
        let threshold = Foundation.log(positive[k])
        var sum = 0.0
        for i in 0..<k { sum += Foundation.log(positive[i]) - threshold }
        return Double(k) / sum
    }

    /// k = ⌈√n⌉, a common default between bias (k large) and variance (k small).
    public static func tailIndex(_ values: [Double]) -> Double {
        tailIndex(values, k: defaultK(values))
    }

    static func defaultK(_ values: [Double]) -> Int {
        let n = values.filter { $0 > 0 }.count
        return Swift.max(1, Swift.min(n - 1, Int(Double(n).squareRoot().rounded(.up))))
    }
}

extension HillEstimator {
    /// α̂ with k = ⌈√n⌉ and its interval from Hill's asymptotic normality, √k·(α̂ − α) → N(0, α²)
    /// (Hall 1982): α̂·(1 ± z/√k), z the normal 97.5 % point.
    public static func tailIndexEstimate(_ values: [Double]) -> Estimate {
        let k = defaultK(values)
        let alpha = tailIndex(values, k: k)
        let half = normal975 * alpha / Double(k).squareRoot()
        return Estimate(value: alpha, lower: alpha - half, upper: alpha + half, method: "Hill's asymptotic normal interval, k = \(k) of \(values.filter { $0 > 0 }.count)")
    }

    /// Φ⁻¹(0.975), the z of a 95 % two-sided interval.
    static let normal975 = 1.959963984540054
}
