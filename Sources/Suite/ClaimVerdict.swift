/// What an evaluated claim means for the reproduction, given what the runs decided
/// (`ClaimResult`) and the deviation the paper target declares at that scale. `check`, `claims.md`
/// and the report all decide it here, so they never disagree about a claim.
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

    /// What `check` accepts: the claim holds, fails exactly as declared, or the runs cannot decide
    /// it (which is never a claim shown false; the metrics' own comparison catches a regression).
    public var isAsExpected: Bool {
        switch self {
        case .holds, .knownDeviation, .inconclusive: return true
        case .fails, .deviationNowHolds, .notEvaluated: return false
        }
    }

    /// The verdict column of the `claims.md` view.
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
}
