import Foundation

/// `summary.json` of a finished run: its final metrics and the environment that produced them.
/// A diverged run has `diverged: true` and its non-finite metrics are absent from `final`.
public struct RunSummary: Codable, Sendable, Equatable {
    public var key: String
    public var config: RunConfig
    public var final: [String: Double]
    public var diverged: Bool
    public var divergence: String?
    public var wallSeconds: Double
    public var engineVersion: String
    public var resultFormatVersion: Int
    public var gitCommit: String?
    public var blasThreads: Int
    /// The BLAS that computed the run: version ("OpenBLAS 0.3.21"), kernel ("SkylakeX") with how it
    /// was chosen, and the library file. Absent in summaries written before they were recorded.
    public var blasVersion: String?
    public var blasCore: String?
    public var blasLibrary: String?
    /// Machine facts such as seconds per step; never compared by `check`.
    public var measurements: [String: Double]?
    public var host: String
    public var finishedAt: String
    /// SHA-256 (hex) of every other file of the run's folder, by path relative to it, and of this
    /// summary itself written without `digest`: what every read of the store checks
    /// (`RunIntegrity`). Absent in summaries written before digests were recorded; the first read
    /// that finds the run sound adds them.
    public var files: [String: String]?
    public var digest: String?

    /// A final metric with divergence made explicit: a diverged run counts as +∞ (the worst
    /// possible gap or loss), so quantiles over seeds see it instead of silently dropping it.
    public func metric(_ name: String) -> Double? {
        if let v = final[name] { return v }
        return diverged ? .infinity : nil
    }
}
