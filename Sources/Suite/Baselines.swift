import Engine
import Foundation

/// `reproductions/<paper>/baselines.json`: per run group, each final metric's mean and spread
/// across seeds, written by `repro baseline` and compared by `repro check`.
public struct BaselineFile: Codable, Equatable, Sendable {
    public var paper: String
    public var scale: Scale
    public var resultFormatVersion: Int
    /// "experiment/group" → metric → statistics.
    public var groups: [String: [String: MetricBaseline]]

    public struct MetricBaseline: Codable, Equatable, Sendable {
        public var mean: Double
        /// Sample standard deviation across seeds (0 for one seed).
        public var spread: Double
        public var seeds: Int
        /// Seeds on which the run diverged (their metric is +∞, excluded from mean and spread).
        public var diverged: Int
    }

    /// Statistics of every final metric of every group in `results`.
    public static func measure(_ results: ResultSet) throws -> BaselineFile {
        var groups: [String: [String: MetricBaseline]] = [:]
        for experiment in results.experiments {
            for group in try results.groups(experiment.id) {
                let summaries = try results.summaries(experiment.id, group: group)
                let metrics = Set(summaries.flatMap { $0.final.keys })
                var entry: [String: MetricBaseline] = [:]
                for metric in metrics {
                    let values = summaries.map { $0.metric(metric) ?? .nan }
                    let finite = values.filter(\.isFinite)
                    let s = Summary(finite)
                    entry[metric] = MetricBaseline(mean: finite.isEmpty ? .nan : s.mean, spread: s.standardDeviation,
                                                   seeds: values.count, diverged: values.count - finite.count)
                }
                groups["\(experiment.id)/\(group)"] = entry
            }
        }
        return BaselineFile(paper: results.paper, scale: results.scale, resultFormatVersion: SuiteInfo.resultFormatVersion, groups: groups)
    }

    /// Sorted keys and indentation, so a re-baseline shows as a readable diff.
    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp")
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try (encoder.encode(self) + Data("\n".utf8)).write(to: temporary)
        _ = try? FileManager.default.removeItem(at: url)
        try FileManager.default.moveItem(at: temporary, to: url)
    }

    public static func read(from url: URL) throws -> BaselineFile? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return try decoder.decode(BaselineFile.self, from: data)
        } catch let error as DecodingError {
            throw SuiteError("\(url.path): " + ConfigFile.describe(error) + "; regenerate it with `repro baseline`")
        }
    }
}

/// How far a fresh mean may be from its baseline.
///
/// tolerance = max(k·s·√(1/n_b + 1/n_now), r·|mean_b|, a), with k = 3, r = 10⁻³, a = 10⁻⁹, s the
/// baseline's seed spread and n the seed counts. The first term is three standard errors of a
/// difference of two seed means: what re-running with other seeds could change. Re-running the
/// same seeds on the same build reproduces the baseline exactly; the relative floor absorbs float
/// rounding across machines and BLAS builds; the absolute floor, metrics that are exactly zero.
public enum Tolerance {
    public static let k = 3.0, relative = 1e-3, absolute = 1e-9

    public static func of(_ baseline: BaselineFile.MetricBaseline, seedsNow: Int) -> Double {
        let seedTerm = k * baseline.spread * (1 / Double(max(baseline.seeds, 1)) + 1 / Double(max(seedsNow, 1))).squareRoot()
        return max(seedTerm, relative * abs(baseline.mean.isFinite ? baseline.mean : 0), absolute)
    }
}
