import Plot
import Suite

/// The report's single page: how to read it, the summary of every paper, then a section per paper.
struct ReportPage {
    var papers: [PaperReport]
    var stamp: ReportStamp

    func html() -> String {
        HTML(
            .lang(.english),
            .head(
                .encoding(.utf8),
                .viewport(.accordingToDevice),
                .element(named: "title", text: "Reproduction report"),
                .stylesheet(ReportStyle.fileName)
            ),
            .body {
                Header {
                    H1("Reproduction report")
                    Paragraph(stamp.description).class("meta")
                    Paragraph {
                        Text("Each claim is a paper's finding stated as a predicate over runs, evaluated at the ")
                        Text("quick").bold()
                        Text(" scale (seconds per run, what ")
                        Element(name: "code") { Text("repro check") }
                        Text(" runs) and the ")
                        Text("full").bold()
                        Text(" scale (the closest to the paper this machine can run) when those runs are in the store. ")
                        Text("Where they are not, the verdicts, figures and tables are the ones ")
                        Element(name: "code") { Text("repro figures") }
                        Text(" wrote and the repository commits, marked as read rather than recomputed.")
                    }
                    Paragraph(ClaimsFile.legend)
                    Paragraph {
                        for verdict in ClaimVerdict.kinds { Span(verdict.label).class("verdict verdict-\(verdict.style)") }
                    }
                    .class("legend")
                }
                SummaryTable(papers: papers)
                for paper in papers { PaperSection(paper: paper) }
            }
        )
        // Not indented: indentation puts a space between an inline element and the comma after it.
        .render()
    }
}

/// When, from what and by which version the report was generated.
struct ReportStamp {
    var date: String
    var version: String
    var commit: String?
    var results: String
    var plots: String

    var description: String {
        "Generated \(date) by repro \(version)\(commit.map { " at commit \($0)" } ?? ""); "
            + "runs read from \(results), figures and tables from \(plots)."
    }
}
