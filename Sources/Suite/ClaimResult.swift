import Engine
import Foundation

/// A claim evaluated on the runs of one scale, as data. `check` builds it from fresh runs,
/// `repro figures` writes a scale's results to `claims.json` (with `claims.md`/`claims.csv` as
/// views of it), and the report reads that file where the runs are not in the store. What the runs
/// decided is kept apart from the deviation the paper declares: the verdict applies the declaration
/// the code makes now, so a file written before a deviation was declared still gets today's
/// expectation.
public struct ClaimResult: Codable, Sendable, Equatable {
    public var id: String
    public var source: String
    public var statement: String
    public var decision: Decision
    /// Why the runs could not decide it (the comparisons whose intervals reach their thresholds, or
    /// the baseline's kernels disagreeing), or why it was not evaluated (the error).
    public var reason: String?
    /// Each comparison, nil when the claim was not evaluated.
    public var comparisons: [ComparisonResult]?
    /// `all` (every comparison must hold) or `any`.
    public var combination: String?
    public var note: String?
    /// As `check`, the views and the report print them: each comparison's estimate, interval and
    /// threshold, then the note (the error when not evaluated); runs per side; how the intervals
    /// were computed.
    public var measured: String
    public var runs: String
    public var intervals: String

    public enum Decision: String, Codable, Sendable {
        case holds, fails, inconclusive
        case notEvaluated = "not-evaluated"
    }

    /// One comparison of an estimate with its threshold.
    public struct ComparisonResult: Codable, Sendable, Equatable {
        public var quantity: String
        public var estimate: Double
        public var lower: Double
        public var upper: Double
        /// How the interval was computed.
        public var method: String
        /// `<`, `≤`, `>` or `≥`.
        public var relation: String
        public var threshold: Double
        /// Runs per side.
        public var runs: [Int]
        public var decision: Decision
        /// "estimate [lower, upper], needs < threshold", as `check` prints it.
        public var text: String
    }

    /// Evaluates `claim` on `results`, reading only the experiments the claim names (an access to
    /// another is an error, so the list the claim declares is the list it reads). `kernelOutcomes`
    /// are the claim's decisions under each kernel of the baseline; when they disagree the claim is
    /// inconclusive at that scale, whatever this machine's kernel gives.
    public static func evaluate(_ claim: Claim, on results: ResultSet, kernelOutcomes: [String: Claim.Decision]? = nil) -> ClaimResult {
        var result = ClaimResult(id: claim.id, source: claim.source, statement: claim.statement, decision: .notEvaluated)
        let outcome: Claim.Outcome
        do {
            outcome = try claim.evaluate(results.restricted(to: claim.experiments))
        } catch {
            result.reason = "\(error)"
            result.measured = "\(error)"
            return result
        }
        let comparisons = outcome.comparisons.map { c in
            ComparisonResult(quantity: c.quantity, estimate: c.estimate.value, lower: c.estimate.lower, upper: c.estimate.upper,
                             method: c.estimate.method, relation: c.relation.rawValue, threshold: c.threshold, runs: c.runs,
                             decision: Decision(c.decision), text: c.text)
        }
        result.comparisons = comparisons
        result.combination = outcome.combination == .all ? "all" : "any"
        result.note = outcome.note
        result.measured = (comparisons.map { $0.text + (comparisons.count > 1 ? " (\($0.decision.rawValue))" : "") } + [outcome.note].compactMap { $0 })
            .joined(separator: "; ")
        result.runs = Self.distinct(comparisons.map { $0.runs.map(String.init).joined(separator: " vs ") })
        result.intervals = Self.distinct(comparisons.map(\.method))
        if let kernelOutcomes, Set(kernelOutcomes.values).count > 1 {
            let byDecision = Dictionary(grouping: kernelOutcomes.keys.sorted()) { kernelOutcomes[$0]!.rawValue }
            let list = byDecision.keys.sorted().map { "\($0) under \(byDecision[$0]!.joined(separator: ", "))" }.joined(separator: ", ")
            result.decision = .inconclusive
            result.reason = "at \(results.scale.rawValue) scale the verdict depends on the BLAS kernel: \(list)"
            return result
        }
        result.decision = Decision(outcome.decision)
        if result.decision == .inconclusive {
            let undecided = outcome.undecided.map(\.quantity)
            result.reason = undecided.count == 1 ? "the 95 % interval of \(undecided[0]) reaches its threshold"
                : "the 95 % intervals of " + undecided.joined(separator: " and of ") + " reach their thresholds"
        }
        return result
    }

    /// What the result means given the deviation the paper declares for the claim at this scale.
    public func verdict(knownDeviation deviation: String?) -> ClaimVerdict {
        switch decision {
        case .holds: return ClaimVerdict(passed: true, knownDeviation: deviation)
        case .fails: return ClaimVerdict(passed: false, knownDeviation: deviation)
        case .inconclusive: return .inconclusive((reason ?? "") + (deviation.map { "; declared a known deviation: \($0)" } ?? ""))
        case .notEvaluated: return .notEvaluated(reason ?? "")
        }
    }

    static func distinct(_ items: [String]) -> String {
        var seen: [String] = []
        for item in items where !seen.contains(item) { seen.append(item) }
        return seen.joined(separator: "; ")
    }
}

extension ClaimResult {
    init(id: String, source: String, statement: String, decision: Decision, measured: String = "", runs: String = "", intervals: String = "") {
        (self.id, self.source, self.statement, self.decision) = (id, source, statement, decision)
        (self.measured, self.runs, self.intervals) = (measured, runs, intervals)
    }
}

extension ClaimResult.Decision {
    init(_ decision: Claim.Decision) {
        switch decision {
        case .holds: self = .holds
        case .fails: self = .fails
        case .inconclusive: self = .inconclusive
        }
    }
}

extension ResultSet {
    /// The same runs with only `ids` among the experiments: what a claim or figure that names those
    /// experiments may read.
    public func restricted(to ids: [String]) -> ResultSet {
        ResultSet(paper: paper, scale: scale, experiments: experiments.filter { ids.contains($0.id) }, store: store,
                  kernelOutcomes: kernelOutcomes, referenceDirectory: referenceDirectory)
    }
}

/// `claims.json`: a paper's claims evaluated on the runs of one scale, written by `repro figures`
/// beside the figures, with `claims.md` and `claims.csv` drawn from it for people and spreadsheets.
public struct ClaimsFile: Codable, Sendable, Equatable {
    public static let name = "claims"
    public var paper: String
    public var scale: Scale
    public var claims: [ClaimResult]
    /// Set when the file was converted from the `claims.csv` an earlier version wrote (before claims
    /// were written as data), for the scales whose runs are not here to evaluate them again: its
    /// results then carry the decision and the printed columns, not the comparisons.
    public var convertedFrom: String?

    public init(paper: String, scale: Scale, claims: [ClaimResult]) {
        (self.paper, self.scale, self.claims) = (paper, scale, claims)
    }

    /// How the estimates and verdicts are read: the legend of `claims.md`, the report and the README.
    public static let legend = "Each claim compares estimated quantities with thresholds. An estimate is shown with its 95 % "
        + "confidence interval over the runs: a t interval for means (paired by seed when both sides ran the same seeds; "
        + "Fieller's for a ratio of means), a seeded percentile bootstrap (4000 resamples, paired by seed) for medians and "
        + "quantiles (given at least 10 runs a side), a least-squares t interval for growth exponents, Hill's normal band for a tail index. A claim holds when every interval lies on its side "
        + "of the threshold, fails when one lies on the other side, and is inconclusive when an interval reaches its threshold."

    /// The columns of the `claims.md`/`claims.csv` views.
    public static let columns = ["claim", "paper", "statement", "verdict", "measured", "runs", "intervals"]

    /// Non-finite estimates (a diverged side) as the stores write them.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .asText
        return encoder
    }()

    /// Writes `claims.json`, then its views, each through a temporary file; returns the three files.
    public func write(into directory: URL, claims declared: [Claim]) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let json = directory.appendingPathComponent("\(Self.name).json")
        try (try Self.encoder.encode(self) + Data("\n".utf8)).writeAtomically(to: json)
        let deviations = Dictionary(declared.map { ($0.id, $0.knownDeviation(at: scale)) }, uniquingKeysWith: { a, _ in a })
        let rows = claims.map { c in
            [c.id, c.source, c.statement, c.verdict(knownDeviation: deviations[c.id] ?? nil).tableText, c.measured, c.runs, c.intervals]
        }
        let table = ResultTable(id: Self.name, title: "claims at \(scale.rawValue) scale", columns: Self.columns, rows: rows, note: Self.legend)
        return [json] + (try table.write(into: directory))
    }

    public static func read(_ url: URL) throws -> ClaimsFile {
        guard let data = FileManager.default.contents(atPath: url.path) else { throw SuiteError("\(url.path): cannot be read") }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .asText
        do {
            return try decoder.decode(ClaimsFile.self, from: data)
        } catch {
            throw SuiteError("\(url.path): not a claims file written by `repro figures` (\(error)); regenerate it with `repro figures`")
        }
    }
}
