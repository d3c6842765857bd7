import Plot
import Suite

/// Everything about one paper: who and where, its claims, the baseline comparison, its runs, the
/// README's deviations, its tables and its figures.
struct PaperSection: Component {
    var paper: PaperReport

    var body: Component {
        Element(name: "section") {
            H2(paper.title)
            Paragraph {
                Element(name: "code") { Text(paper.id) }
                for id in paper.arXivIDs {
                    Text(" · ")
                    Link("arXiv:\(id)", url: "https://arxiv.org/abs/\(id)")
                }
                Text(" · official code: ")
                if paper.officialCode.isEmpty { Text("none found") }
                for (n, code) in paper.officialCode.enumerated() {
                    Text(n == 0 ? "" : ", ")
                    Link(code.label, url: AttributeValue.escaped(code.url))
                }
                Text(" · ")
                Element(name: "code") { Text(paper.readme) }
            }
            .class("identity")
            H3("Claims")
            ClaimsTable(paper: paper)
            H3("Baseline comparison")
            BaselineSection(baselines: paper.baselines)
            H3("Runs")
            ProvenanceTable(provenance: paper.provenance)
            H3("Deviations from the paper")
            if let deviations = paper.deviations {
                Div(html: ReportMarkdown.html(deviations)).class("markdown")
                Paragraph("from \(paper.readme)").class("source")
            } else {
                Paragraph("\(paper.readme) has no section headed “Deviations”.").class("missing")
            }
            H3("Tables")
            TablesSection(tables: paper.tables)
            H3("Figures")
            FigureGallery(figures: paper.figures)
        }
        .class("paper")
        .id("paper-\(paper.id)")
    }
}
