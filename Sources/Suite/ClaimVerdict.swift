/// What an evaluated claim means for the reproduction, given whether its predicate held and the
/// deviation the paper target declares at that scale. `check`, `claims.md` and the report all
/// decide it here, so they never disagree about a claim.
public enum ClaimVerdict: Sendable, Equatable {
    case holds
    case fails
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

    /// What `check` accepts: the claim holds, or fails exactly as declared.
    public var isAsExpected: Bool {
        switch self {
        case .holds, .knownDeviation: return true
        case .fails, .deviationNowHolds, .notEvaluated: return false
        }
    }

    /// The verdict column of `claims.md`.
    public var tableText: String {
        switch self {
        case .holds: return "holds"
        case .fails: return "does not hold"
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
        } else if text == "not evaluated" {
            self = .notEvaluated(detail)
        } else {
            return nil
        }
    }
}
