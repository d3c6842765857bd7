import Suite

/// How a paper's claims fared at one scale: what the summary table and `repro report` print.
public struct ClaimTally: Sendable, Equatable {
    /// `shown`: claims with any verdict at this scale, "not evaluated" included.
    public var total = 0, shown = 0, evaluated = 0, holding = 0, inconclusive = 0, knownDeviations = 0, unexpected = 0
    /// Verdicts read from a claims.json rather than evaluated on runs now.
    public var read = 0

    public init(_ claims: [ReportClaim], scale: Scale) {
        total = claims.count
        for evidence in claims.compactMap({ $0.verdicts[scale] }) {
            shown += 1
            if evidence.readFrom != nil { read += 1 }
            switch evidence.verdict {
            case .holds: holding += 1
            case .inconclusive: inconclusive += 1
            case .knownDeviation: knownDeviations += 1
            case .fails, .deviationNowHolds: unexpected += 1
            case .notEvaluated: continue
            }
            evaluated += 1
        }
    }

    /// "4 of 6 hold, 2 known deviations", "not evaluated", or "no runs, no claims table".
    public var summary: String {
        guard shown > 0 else { return "no runs, no claims table" }
        guard evaluated > 0 else { return "not evaluated" }
        var text = "\(holding) of \(total) hold"
        if inconclusive > 0 { text += ", \(inconclusive) inconclusive" }
        if knownDeviations > 0 { text += ", \(knownDeviations) known deviation\(knownDeviations == 1 ? "" : "s")" }
        if unexpected > 0 { text += ", \(unexpected) unexpected" }
        if evaluated < total { text += ", \(total - evaluated) not evaluated" }
        return text
    }
}
