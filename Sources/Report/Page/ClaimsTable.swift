import Plot
import Suite

/// A paper's claims, one row each, with the verdict and the measured values at each scale.
struct ClaimsTable: Component {
    var paper: PaperReport

    var body: Component {
        Table(header: TableRow {
            Text("claim")
            Text("statement")
            for scale in Scale.allCases { Text("\(scale.rawValue) scale") }
        }) {
            for claim in paper.claims {
                TableRow {
                    TableCell {
                        Element(name: "code") { Text(claim.id) }
                        Span(claim.source).class("detail")
                    }
                    TableCell(claim.statement)
                    for scale in Scale.allCases { VerdictCell(claim: claim.id, scale: scale, evidence: claim.verdicts[scale]) }
                }
            }
        }
        .class("claims")
        .id("claims-\(paper.id)")
    }
}

/// One verdict: a word and a colour, the reason for a deviation, what was measured, and where a
/// verdict that was not computed now was read from. `data-claim`/`data-scale` name it for tests.
struct VerdictCell: Component {
    var claim: String
    var scale: Scale
    var evidence: ReportClaim.Evidence?

    var body: Component {
        TableCell {
            if let evidence {
                Text(evidence.verdict.label)
                if let why = evidence.verdict.reason { Span(why).class("detail") }
                if !evidence.measured.isEmpty { Span(evidence.measured).class("measured") }
                if !evidence.runs.isEmpty { Span("runs \(evidence.runs); \(evidence.intervals)").class("runs") }
                if let file = evidence.readFrom { Span("read from \(file), not recomputed here").class("source") }
            } else {
                Text("no runs")
                Span("none in the store, and no claims.json").class("detail")
            }
        }
        .class("verdict verdict-\(evidence?.verdict.style ?? "none")")
        .data(named: "claim", value: AttributeValue.escaped(claim))
        .data(named: "scale", value: scale.rawValue)
    }
}

extension ClaimVerdict {
    /// One of each kind, in the order the page's legend lists them.
    static let kinds: [ClaimVerdict] = [.holds, .fails, .inconclusive(""), .knownDeviation(""), .deviationNowHolds(""), .notEvaluated("")]

    var label: String {
        switch self {
        case .holds: return "holds"
        case .fails: return "fails"
        case .inconclusive: return "inconclusive"
        case .knownDeviation: return "known deviation"
        case .deviationNowHolds: return "holds, though declared a deviation"
        case .notEvaluated: return "not evaluated"
        }
    }

    var reason: String? {
        switch self {
        case .holds, .fails: return nil
        case .inconclusive(let why), .knownDeviation(let why): return why
        case .deviationNowHolds(let why): return "declared: \(why); the README no longer describes the results"
        case .notEvaluated(let why): return why
        }
    }

    /// The CSS class suffix (`verdict-…`) of its colour.
    var style: String {
        switch self {
        case .holds: return "holds"
        case .fails: return "fails"
        case .inconclusive: return "open"
        case .knownDeviation: return "known"
        case .deviationNowHolds: return "stale"
        case .notEvaluated: return "none"
        }
    }
}
