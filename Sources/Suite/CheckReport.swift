import Foundation

/// The table `repro check` prints: one row per metric and per claim, with a verdict.
public struct CheckReport: Sendable {
    public struct Row: Sendable {
        public var paper: String
        public var item: String
        public var baseline: String
        public var now: String
        public var tolerance: String
        public var passed: Bool
        /// Claims print as blocks under the metric table: their statements are sentences, not numbers.
        public var isClaim = false
        /// For a claim known not to reproduce: the reason, shown with its verdict.
        public var knownDeviation: String? = nil
        var verdict: String {
            guard let knownDeviation else { return passed ? "ok" : "FAIL" }
            return passed ? "ok (known deviation, does not reproduce: \(knownDeviation))"
                          : "FAIL (listed as a known deviation but now holds: update the claim and the README)"
        }
    }

    public var rows: [Row] = []
    /// Stored runs re-executed by `repro check --rerun`; any difference fails the check.
    public var reruns: [(paper: String, outcome: Runner.RerunOutcome)] = []
    public var passed: Bool { rows.allSatisfy(\.passed) && reruns.allSatisfy { $0.outcome.difference == nil } }
    public var failures: Int { rows.filter { !$0.passed }.count + reruns.filter { $0.outcome.difference != nil }.count }
    /// Items checked: the table's rows and the re-executed runs.
    public var items: Int { rows.count + reruns.count }

    public init() {}

    /// Compares fresh results with the baseline and evaluates the claims.
    public mutating func compare(_ results: ResultSet, with baseline: BaselineFile?, claims: [Claim]) throws {
        let paper = results.paper
        let fresh = try BaselineFile.measure(results)
        if baseline == nil {
            rows.append(Row(paper: paper, item: "baselines.json", baseline: "missing", now: "-",
                            tolerance: "run `repro baseline \(paper)`", passed: false))
        }
        for (group, metrics) in (baseline?.groups ?? [:]).sorted(by: { $0.key < $1.key }) {
            for (metric, b) in metrics.sorted(by: { $0.key < $1.key }) {
                let item = "\(group) \(metric)"
                guard let now = fresh.groups[group]?[metric] else {
                    rows.append(Row(paper: paper, item: item, baseline: Self.format(b.mean), now: "not produced", tolerance: "-", passed: false))
                    continue
                }
                let tolerance = Tolerance.of(b, seedsNow: now.seeds)
                let sameDivergence = b.diverged == now.diverged
                let bothUndefined = b.mean.isNaN && now.mean.isNaN
                let passed = sameDivergence && (bothUndefined || abs(now.mean - b.mean) <= tolerance)
                let divergedNote = now.diverged > 0 || b.diverged > 0 ? " (\(now.diverged)/\(now.seeds) vs \(b.diverged)/\(b.seeds) diverged)" : ""
                rows.append(Row(paper: paper, item: item, baseline: Self.format(b.mean), now: Self.format(now.mean) + divergedNote,
                                tolerance: "±" + Self.format(tolerance), passed: passed))
            }
        }
        for group in fresh.groups.keys.sorted() where baseline != nil && baseline?.groups[group] == nil {
            rows.append(Row(paper: paper, item: "\(group)", baseline: "none", now: "new group",
                            tolerance: "run `repro baseline \(paper)`", passed: false))
        }
        for claim in claims {
            let item = "claim \(claim.id) [\(claim.source)]"
            do {
                let outcome = try claim.evaluate(results)
                let deviation = claim.knownDeviation(at: results.scale)
                let verdict = ClaimVerdict(passed: outcome.passed, knownDeviation: deviation)
                rows.append(Row(paper: paper, item: item, baseline: claim.statement, now: outcome.measured, tolerance: "-",
                                passed: verdict.isAsExpected, isClaim: true, knownDeviation: deviation))
            } catch {
                rows.append(Row(paper: paper, item: item, baseline: claim.statement, now: "error: \(error)", tolerance: "-",
                                passed: false, isClaim: true))
            }
        }
    }

    static func format(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        return String(format: "%.6g", v)
    }

    /// Fixed-width table of the metrics, then one block per claim; long cells are cut with "…".
    public func table(maxCell: Int = 70) -> String {
        let header = ["paper", "metric", "baseline", "now", "tolerance", "verdict"]
        let cells = rows.filter { !$0.isClaim }.map { [$0.paper, $0.item, $0.baseline, $0.now, $0.tolerance, $0.passed ? "ok" : "FAIL"] }
        func cut(_ s: String) -> String { s.count > maxCell ? String(s.prefix(maxCell - 1)) + "…" : s }
        let all = ([header] + cells).map { $0.map(cut) }
        let widths = header.indices.map { i in all.map { $0[i].count }.max() ?? 0 }
        var text = all.enumerated().map { n, row in
            let line = row.enumerated().map { i, c in c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }.joined(separator: "  ")
            return n == 0 ? line + "\n" + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") : line
        }.joined(separator: "\n") + "\n"
        for claim in rows where claim.isClaim {
            text += "\n\(claim.passed ? "ok  " : "FAIL")  \(claim.paper) \(claim.item)\n"
            text += "      claim:    \(claim.baseline)\n      measured: \(claim.now)\n"
            if claim.knownDeviation != nil { text += "      verdict:  \(claim.verdict)\n" }
        }
        if !reruns.isEmpty {
            let differing = reruns.filter { $0.outcome.difference != nil }
            text += "\nrerun: \(reruns.count) stored run(s) re-executed with every core; "
                + (differing.isEmpty ? "all bit-identical to the store\n" : "\(differing.count) DIFFER:\n")
            for (paper, outcome) in differing { text += "FAIL  \(paper) \(outcome.label): \(outcome.difference!)\n" }
        }
        return text
    }
}
