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
        /// A claim's verdict; claims print as blocks under the metric table, their statements are
        /// sentences, not numbers.
        public var claimVerdict: ClaimVerdict? = nil
        public var isClaim: Bool { claimVerdict != nil }

        init(paper: String, item: String, baseline: String, now: String, tolerance: String, passed: Bool) {
            (self.paper, self.item, self.baseline, self.now, self.tolerance, self.passed) = (paper, item, baseline, now, tolerance, passed)
        }

        /// A group whose runs are not in the store (full scale, where check computes nothing): listed, not failed.
        public var missing = false

        init(paper: String, item: String, baseline: String, now: String, tolerance: String, missing: Bool) {
            self.init(paper: paper, item: item, baseline: baseline, now: now, tolerance: tolerance, passed: true)
            self.missing = missing
        }

        init(paper: String, item: String, baseline: String, now: String, tolerance: String, verdict: ClaimVerdict) {
            self.init(paper: paper, item: item, baseline: baseline, now: now, tolerance: tolerance, passed: verdict.isAsExpected)
            claimVerdict = verdict
        }

        /// What `check` prints under a claim whose verdict is not a plain "holds".
        var verdictLine: String? {
            switch claimVerdict {
            case nil, .holds?: return nil
            case .fails?: return "does not hold"
            case .inconclusive(let why)?: return "ok, inconclusive: \(why)"
            case .knownDeviation(let why)?: return "ok (known deviation, does not reproduce: \(why))"
            case .deviationNowHolds?: return "FAIL (listed as a known deviation but now holds: update the claim and the README)"
            case .notEvaluated(let why)?: return "FAIL (not evaluated: \(why))"
            }
        }
    }

    public var rows: [Row] = []
    /// Stored runs re-executed by `repro check --rerun`; any difference fails the check.
    public var reruns: [(paper: String, outcome: Runner.RerunOutcome)] = []
    public var passed: Bool { rows.allSatisfy(\.passed) && reruns.allSatisfy { $0.outcome.difference == nil } }
    public var failures: Int { rows.filter { !$0.passed }.count + reruns.filter { $0.outcome.difference != nil }.count }
    /// Items checked: the table's rows and the re-executed runs.
    public var items: Int { rows.count + reruns.count }
    /// Groups and claims listed as missing (their runs are not in the store).
    public var missing: Int { rows.filter(\.missing).count }

    public init() {}

    /// Compares fresh results with the baseline (`Tolerance`) and evaluates the claims.
    public mutating func compare(_ results: ResultSet, with baseline: BaselineFile?, claims: [Claim]) throws {
        let paper = results.paper
        let incomplete = try results.incompleteGroups(), damaged = results.damagedGroups()
        let fresh = try BaselineFile.measure(["now": results], records: [:], claims: [], skipping: Set(incomplete.keys))
        let scaleOption = (results.scale == .quick ? "" : " --scale \(results.scale.rawValue)") + results.commandOptions
        if baseline == nil {
            rows.append(Row(paper: paper, item: BaselineFile.fileName(results.scale), baseline: "missing", now: "-",
                            tolerance: "run `repro baseline \(paper)\(scaleOption)`", passed: false))
        }
        let statistics = baseline?.allStatistics ?? [:], sensitive = BaselineFile.kernelSensitiveItems(in: statistics)
        let pooled = BaselineFile.pooledSeedSpread(in: statistics)
        let exactMetrics = Dictionary(results.experiments.map { ($0.id, $0.exactMetrics) }, uniquingKeysWith: { a, _ in a })
        for (group, record) in (baseline?.groups ?? [:]).sorted(by: { $0.key < $1.key }) {
            if let missing = incomplete[group] {
                let broken = damaged[group].map { " (\($0) damaged)" } ?? ""
                rows.append(Row(paper: paper, item: group, baseline: "\(record.seeds.count) run(s)", now: "\(missing) not in the store\(broken)",
                                tolerance: "`repro run \(paper)\(scaleOption)` computes them"
                                    + (broken.isEmpty ? "" : ", moving damaged folders to quarantine first"), missing: true))
                continue
            }
            for metric in record.metrics.keys.sorted() {
                let item = "\(group) \(metric)"
                let b = statistics[group]![metric]!
                guard let values = fresh.groups[group]?.metrics[metric]?["now"] else {
                    rows.append(Row(paper: paper, item: item, baseline: Self.format(b.center), now: "not produced", tolerance: "-", passed: false))
                    continue
                }
                let finite = values.filter(\.isFinite)
                let now = finite.isEmpty ? Double.nan : finite.reduce(0, +) / Double(finite.count)
                let diverged = values.count - finite.count
                let exact = exactMetrics[String(group.prefix { $0 != "/" })]?.contains(metric) ?? false
                let tolerance = Tolerance.of(b, items: sensitive, seedsNow: values.count, sameSeeds: fresh.groups[group]?.seeds == record.seeds, exact: exact,
                                             pooled: pooled["\(group.prefix { $0 != "/" }) \(metric)"])
                let bothUndefined = b.center.isNaN && now.isNaN
                let passed = b.diverged.contains(diverged) && (bothUndefined || abs(now - b.center) <= tolerance)
                let range = b.diverged.lowerBound == b.diverged.upperBound ? "\(b.diverged.lowerBound)" : "\(b.diverged.lowerBound)–\(b.diverged.upperBound)"
                let divergedNote = diverged > 0 || b.diverged.upperBound > 0 ? " (\(diverged)/\(values.count) vs \(range)/\(b.seeds) diverged)" : ""
                rows.append(Row(paper: paper, item: item, baseline: Self.format(b.center), now: Self.format(now) + divergedNote,
                                tolerance: "±" + Self.format(tolerance), passed: passed))
            }
        }
        for group in fresh.groups.keys.sorted() where baseline != nil && baseline?.groups[group] == nil {
            rows.append(Row(paper: paper, item: "\(group)", baseline: "none", now: "new group",
                            tolerance: "run `repro baseline \(paper)\(results.commandOptions)`", passed: false))
        }
        for claim in claims {
            let result = ClaimResult.evaluate(claim, on: results, kernelOutcomes: baseline?.claims[claim.id])
            let verdict = result.verdict(knownDeviation: claim.knownDeviation(at: results.scale))
            if case .notEvaluated(let why) = verdict, !incomplete.isEmpty {
                // The runs it reads may be among the missing ones: listed, not failed.
                var row = Row(paper: paper, item: "claim \(claim.id) [\(claim.source)]", baseline: claim.statement,
                              now: why, tolerance: "-", missing: true)
                row.claimVerdict = verdict
                rows.append(row)
                continue
            }
            rows.append(Row(paper: paper, item: "claim \(claim.id) [\(claim.source)]", baseline: claim.statement, now: result.measured,
                            tolerance: result.runs.isEmpty ? "-" : "runs:     \(result.runs) (\(result.intervals))", verdict: verdict))
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
        let cells = rows.filter { !$0.isClaim }
            .map { [$0.paper, $0.item, $0.baseline, $0.now, $0.tolerance, $0.missing ? "missing" : $0.passed ? "ok" : "FAIL"] }
        func cut(_ s: String) -> String { s.count > maxCell ? String(s.prefix(maxCell - 1)) + "…" : s }
        let all = ([header] + cells).map { $0.map(cut) }
        let widths = header.indices.map { i in all.map { $0[i].count }.max() ?? 0 }
        var text = all.enumerated().map { n, row in
            let line = row.enumerated().map { i, c in c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }.joined(separator: "  ")
            return n == 0 ? line + "\n" + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") : line
        }.joined(separator: "\n") + "\n"
        for claim in rows where claim.isClaim {
            text += "\n\(claim.missing ? "miss" : claim.passed ? "ok  " : "FAIL")  \(claim.paper) \(claim.item)\n"
            text += "      claim:    \(claim.baseline)\n"
            for (i, part) in claim.now.components(separatedBy: "; ").enumerated() {
                text += (i == 0 ? "      measured: " : "                ") + part + "\n"
            }
            if claim.tolerance != "-" { text += "      \(claim.tolerance)\n" }
            if claim.missing {
                text += "      verdict:  not evaluated, some of its runs are not in the store (listed above)\n"
            } else if let line = claim.verdictLine {
                text += "      verdict:  \(line)\n"
            }
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
