import Ink
import Suite

/// Markdown from the repository (a README's deviations, the tables `repro figures` writes) as HTML
/// for the report, through Ink. A link into the repository would not resolve inside the site, so
/// it becomes its text; an image becomes its description in brackets (the figures section shows
/// every figure). Links to web pages stay: they are followed, never loaded, by the page.
enum ReportMarkdown {
    static func html(_ markdown: String) -> String {
        var parser = MarkdownParser()
        parser.addModifier(Modifier(target: .links) { html, markdown in
            isWebAddress(target(of: markdown)) ? html : innerText(of: html)
        })
        parser.addModifier(Modifier(target: .images) { _, markdown in
            let description = markdown.dropFirst(2).prefix { $0 != "]" }
            return "<em>[\(AttributeValue.escaped(String(description)))]</em>"
        })
        return parser.html(from: LiteralDelimiters.escape(markdown))
    }

    static func isWebAddress(_ target: Substring) -> Bool {
        target.hasPrefix("https://") || target.hasPrefix("http://")
    }

    /// `url` of `[text](url)`.
    private static func target(of link: Substring) -> Substring {
        guard let open = link.range(of: "](", options: .backwards) else { return "" }
        return link[open.upperBound...].dropLast()
    }

    /// The label of an `<a href="…">label</a>` Ink wrote.
    private static func innerText(of anchor: String) -> String {
        guard let start = anchor.firstIndex(of: ">"), let end = anchor.range(of: "</a>", options: .backwards) else { return anchor }
        return String(anchor[anchor.index(after: start)..<end.lowerBound])
    }
}
