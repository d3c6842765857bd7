import Plot
import Suite

/// The table at the top: per paper, the claims holding at each scale, the baseline items passing,
/// the figures, when its runs last finished and the compute they took at each scale.
struct SummaryTable: Component {
    var papers: [PaperReport]

    var body: Component {
        Table(header: TableRow {
            Text("paper")
            for scale in Scale.allCases { Text("claims, \(scale.rawValue)") }
            Text("baseline items (quick)")
            Text("figures")
            Text("last run")
            for scale in Scale.allCases { Text("run time, \(scale.rawValue)") }
        }) {
            for paper in papers {
                TableRow {
                    TableCell {
                        Link(paper.title, url: "#paper-\(paper.id)")
                        Span(paper.citation).class("detail")
                    }
                    for scale in Scale.allCases { ClaimCountCell(tally: ClaimTally(paper.claims, scale: scale)) }
                    BaselineCountCell(baselines: paper.baselines)
                    TableCell(Scale.allCases.reversed().map { scale in "\(paper.figures.filter { $0.scale == scale }.count) \(scale.rawValue)" }
                        .joined(separator: ", "))
                    TableCell(Scale.allCases.compactMap { paper.provenance[$0]?.lastRunDate }.max() ?? "no runs in the store").class("nowrap")
                    for scale in Scale.allCases {
                        if let p = paper.provenance[scale], p.finished > 0 {
                            TableCell {
                                Span(ProgressReporter.duration(p.wallSeconds)).class("nowrap")
                                Span("\(p.finished) of \(p.declared) runs").class("detail")
                            }
                        } else {
                            TableCell("not run here")
                        }
                    }
                }
            }
        }
        .class("summary")
        .id("summary")
    }
}

private struct ClaimCountCell: Component {
    var tally: ClaimTally

    var body: Component {
        TableCell {
            Text(tally.summary)
            if tally.read > 0 { Span("\(tally.read) read from the committed claims.json").class("source") }
        }
        .class("verdict verdict-\(tally.evaluated == 0 ? "none" : tally.unexpected > 0 ? "fails" : "holds")")
    }
}

private struct BaselineCountCell: Component {
    var baselines: BaselineReport

    var body: Component {
        if let passing = baselines.passing, let total = baselines.total {
            return TableCell("\(passing) of \(total) pass").class("verdict verdict-\(passing == total ? "holds" : "fails")")
        }
        return TableCell {
            Text("not compared")
            Span(baselines.storedItems.map { "\($0) items stored; quick runs missing" } ?? "no baseline file").class("detail")
        }
        .class("verdict verdict-none")
    }
}
