import Plot
import Suite

/// A paper's figures, per scale, each linked to its full-size SVG.
struct FigureGallery: Component {
    var figures: [ReportFigure]

    var body: Component {
        ComponentGroup {
            for scale in Scale.allCases.reversed() {
                let drawn = figures.filter { $0.scale == scale }
                if !drawn.isEmpty {
                    H4("\(scale.rawValue.capitalized) scale (\(drawn.count), from \(drawn[0].folder)/)")
                    Div {
                        for figure in drawn {
                            Element(name: "figure") {
                                Link(url: figure.sitePath) { Image(url: figure.sitePath, description: AttributeValue.escaped(figure.caption)) }
                                Element(name: "figcaption") {
                                    Text(figure.caption + " ")
                                    Element(name: "code") { Text(figure.name) }
                                }
                            }
                        }
                    }
                    .class("figures")
                }
            }
            if figures.isEmpty { Paragraph("No figure has been drawn at either scale; `repro figures` draws them.").class("note") }
        }
    }
}
