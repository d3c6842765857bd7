/// What an evaluated claim means for the reproduction, given whether its predicate held and the
/// deviation the paper target declares at that scale. `check`, `claims.md` and the report all
/// decide it here, so they never disagree about a claim.
public enum ClaimVerdict: Sendable, Equatable {
    case holds
    case fails
    /// The runs cannot decide the claim, with why: an interval reaches its threshold (a tie, too
    /// few runs), or the baseline's BLAS kernels gave different verdicts, so last-bit arithmetic
    /// would decide it.
    case inconclusive(String)
    /// Does not hold, as declared, for this reason.
    case knownDeviation(String)
    /// Declared not to reproduce, yet holds: the README no longer describes the results.
    case deviationNowHolds(String)
    /// The claim could not be evaluated (runs missing, or its code threw), with why.
    case notEvaluated(String)

    public init(passed: Bool, knownDeviation: String?) {
        switch (passed, knownDeviation) {
        case (true, nil): self = .holds
        case (false, nil): self = .fails
        case (false, let reason?): self = .knownDeviation(reason)
        case (true, let reason?): self = .deviationNowHolds(reason)
        }
    }

    /// The verdict of `claim` on `results`, with what was measured. `kernelOutcomes` are the
    /// claim's decisions under each kernel of the baseline (`BaselineFile.claims`); when they
    /// disagree the claim is inconclusive at that scale, whatever this machine's kernel gives.
    public static func of(_ claim: Claim, on results: ResultSet, kernelOutcomes: [String: Claim.Decision]? = nil) -> ClaimEvaluation {
        let outcome: Claim.Outcome
        do {
            outcome = try claim.evaluate(results)
        } catch {
            return ClaimEvaluation(verdict: .notEvaluated("\(error)"), measured: "\(error)", runs: "", intervals: "")
        }
        let deviation = claim.knownDeviation(at: results.scale)
        let verdict: ClaimVerdict
        if let kernelOutcomes, Set(kernelOutcomes.values).count > 1 {
            let byDecision = Dictionary(grouping: kernelOutcomes.keys.sorted()) { kernelOutcomes[$0]!.rawValue }
            let list = byDecision.keys.sorted().map { "\($0) under \(byDecision[$0]!.joined(separator: ", "))" }.joined(separator: ", ")
            verdict = .inconclusive("at \(results.scale.rawValue) scale the verdict depends on the BLAS kernel: \(list)")
        } else {
            switch outcome.decision {
            case .holds: verdict = ClaimVerdict(passed: true, knownDeviation: deviation)
            case .fails: verdict = ClaimVerdict(passed: false, knownDeviation: deviation)
            case .inconclusive:
                let undecided = outcome.undecided.map(\.quantity)
                let what = undecided.count == 1 ? "the 95 % interval of \(undecided[0]) reaches its threshold"
                    : "the 95 % intervals of " + undecided.joined(separator: " and of ") + " reach their thresholds"
                verdict = .inconclusive(what
                                        + (deviation.map { "; declared a known deviation: \($0)" } ?? ""))
            }
        }
        return ClaimEvaluation(verdict: verdict, measured: outcome.measured, runs: outcome.runs, intervals: outcome.methods)
    }

    /// What `check` accepts: the claim holds, fails exactly as declared, or the runs cannot decide
    /// it (which is never a claim shown false; the metrics' own comparison catches a regression).
    public var isAsExpected: Bool {
        switch self {
        case .holds, .knownDeviation, .inconclusive: return true
        case .fails, .deviationNowHolds, .notEvaluated: return false
        }
    }

    /// The verdict column of `claims.md`.
    public var tableText: String {
        switch self {
        case .holds: return "holds"
        case .fails: return "does not hold"
        case .inconclusive(let reason): return "inconclusive (\(reason))"
        case .knownDeviation(let reason): return "does not hold (known deviation: \(reason))"
        case .deviationNowHolds(let reason): return "holds (but declared a known deviation: \(reason))"
        case .notEvaluated: return "not evaluated"
        }
    }

    /// Reads a verdict column written by `tableText` back. Only whether the claim held is taken
    /// from the text: the deviation is the one the code declares now, so a stale table still gets
    /// the current expectation. `detail` is the table's measured column (the error, when the claim
    /// was not evaluated).
    public init?(tableText text: String, knownDeviation: String?, detail: String) {
        if text.hasPrefix("holds") {
            self.init(passed: true, knownDeviation: knownDeviation)
        } else if text.hasPrefix("does not hold") {
            self.init(passed: false, knownDeviation: knownDeviation)
        } else if text.hasPrefix("inconclusive (") && text.hasSuffix(")") {
            self = .inconclusive(String(text.dropFirst("inconclusive (".count).dropLast()))
        } else if text == "not evaluated" {
            self = .notEvaluated(detail)
        } else {
            return nil
        }
    }
}

/// A claim evaluated on runs: its verdict and the columns `claims.md` and the report show.
public struct ClaimEvaluation: Sendable {
    public var verdict: ClaimVerdict
    /// Each comparison's estimate, 95 % interval and threshold (or the error).
    public var measured: String
    /// Runs per side.
    public var runs: String
    /// How the intervals were computed.
    public var intervals: String
}
