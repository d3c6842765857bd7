/// A quantity estimated from runs, with a two-sided 95 % confidence interval and how that interval
/// was computed: what a claim puts on one side of its threshold.
///
/// An interval that cannot be had from the runs (one run per side, or a statistic undefined on
/// some resample) is (−∞, ∞) or NaN-bounded, so that no verdict can rest on it.
public struct Estimate: Sendable, Equatable {
    public var value: Double
    public var lower: Double
    public var upper: Double
    /// How the interval was computed, e.g. "paired t, ν = 2".
    public var method: String

    /// The confidence level of every interval of the suite.
    public static let level = 0.95

    public init(value: Double, lower: Double, upper: Double, method: String) {
        self.value = value
        self.lower = lower
        self.upper = upper
        self.method = method
    }

    /// A value measured exactly (a count, a deterministic byte total): its interval is the point.
    public static func exact(_ value: Double, _ method: String = "exact (deterministic measurement)") -> Estimate {
        Estimate(value: value, lower: value, upper: value, method: method)
    }

    /// No interval: `why` says what is missing (e.g. a second run).
    public static func unbounded(_ value: Double, _ why: String) -> Estimate {
        Estimate(value: value, lower: -.infinity, upper: .infinity, method: why)
    }

    /// The two-sided quantile t_{ν, (1 + level)/2}.
    static func tQuantile(_ nu: Double) -> Double {
        StudentT.quantile((1 + level) / 2, degreesOfFreedom: nu)
    }
}
