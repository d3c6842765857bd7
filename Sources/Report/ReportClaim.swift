import Foundation
import Suite

/// A claim of a paper with its verdict at each scale where one could be had.
public struct ReportClaim: Sendable {
    public var id: String
    /// The paper's figure, table or section.
    public var source: String
    public var statement: String
    public var verdicts: [Scale: Evidence]

    /// A verdict and what it rests on.
    public struct Evidence: Sendable {
        public var verdict: ClaimVerdict
        public var measured: String
        /// Runs per side, and how the intervals were computed.
        public var runs: String
        public var intervals: String
        /// nil when evaluated now on the runs in the store; otherwise the `claims.json` (written by
        /// `repro figures` at that scale) it was read from, relative to the project folder.
        public var readFrom: String?
    }

    /// Every claim of a paper, evaluated on the runs of each scale that has any; a claim the runs
    /// cannot decide (some are missing) takes its verdict from the scale's `claims.json` when one was
    /// written, so a fresh clone shows the committed full-scale verdicts, marked as read.
    static func gather(_ claims: [Claim], results: [Scale: ResultSet], written: [Scale: WrittenClaims]) -> [ReportClaim] {
        claims.map { claim in
            var verdicts: [Scale: Evidence] = [:]
            for scale in Scale.allCases {
                var failure: String?
                if let runs = results[scale] {
                    let result = ClaimResult.evaluate(claim, on: runs, kernelOutcomes: runs.kernelOutcomes[claim.id])
                    let verdict = result.verdict(knownDeviation: claim.knownDeviation(at: scale))
                    if case .notEvaluated(let why) = verdict {
                        failure = why
                    } else {
                        verdicts[scale] = Evidence(verdict: verdict, measured: result.measured, runs: result.runs, intervals: result.intervals, readFrom: nil)
                        continue
                    }
                }
                if let row = written[scale]?.evidence(for: claim, at: scale) {
                    verdicts[scale] = row
                } else if let failure {
                    verdicts[scale] = Evidence(verdict: .notEvaluated(failure), measured: "", runs: "", intervals: "", readFrom: nil)
                }
            }
            return ReportClaim(id: claim.id, source: claim.source, statement: claim.statement, verdicts: verdicts)
        }
    }
}
