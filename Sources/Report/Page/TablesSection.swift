import Plot
import Suite

/// The tables `repro figures` wrote next to the figures, per scale, rendered from their Markdown.
struct TablesSection: Component {
    var tables: [ReportTable]

    var body: Component {
        ComponentGroup {
            for scale in Scale.allCases.reversed() {
                for table in tables.filter({ $0.scale == scale }) {
                    Div(html: ReportMarkdown.html(table.markdown)).class("markdown markdown-wide")
                    Paragraph("\(scale.rawValue) scale, from \(table.file)").class("source")
                }
            }
            if tables.isEmpty { Paragraph("No table has been written at either scale; `repro figures` writes them.").class("note") }
        }
    }
}
