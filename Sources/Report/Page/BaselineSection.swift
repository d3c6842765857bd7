import Plot
import Suite

/// The quick runs against the stored baselines: the rule, a count per experiment, every failing
/// item in full, and every item behind a disclosure (a paper has up to hundreds).
struct BaselineSection: Component {
    var baselines: BaselineReport

    var body: Component {
        ComponentGroup {
            Paragraph {
                Text("Quick-scale runs against ")
                Element(name: "code") { Text(baselines.file) }
                Text(", as ")
                Element(name: "code") { Text("repro check") }
                Text(" compares them: an item \(BaselineReport.rule).")
            }
            switch baselines.state {
            case .notCompared(let reason):
                Paragraph("\(baselines.storedItems.map { "\($0) stored items, " } ?? "no baseline file; ")\(reason).")
                    .class("verdict verdict-none")
            case .compared(let rows):
                ExperimentCounts(rows: rows)
                let failing = rows.filter { !$0.passed }
                if !failing.isEmpty {
                    H4("Failing items")
                    BaselineRows(rows: failing)
                }
                Element(name: "details") {
                    Element(name: "summary") { Text("every item (\(rows.count))") }
                    BaselineRows(rows: rows)
                }
            }
        }
    }
}

/// Items passing and failing per experiment (the part of an item before its first "/").
private struct ExperimentCounts: Component {
    var rows: [CheckReport.Row]

    var body: Component {
        let experiments = rows.reduce(into: [String]()) { order, row in
            let name = Self.experiment(row)
            if !order.contains(name) { order.append(name) }
        }
        return Table(header: TableRow {
            Text("experiment")
            Text("items")
            Text("pass")
            Text("fail")
        }) {
            for experiment in experiments {
                let own = rows.filter { Self.experiment($0) == experiment }
                let failing = own.filter { !$0.passed }.count
                TableRow {
                    TableCell(experiment)
                    TableCell(String(own.count)).class("number")
                    TableCell(String(own.count - failing)).class("number")
                    TableCell(String(failing)).class("number verdict verdict-\(failing == 0 ? "holds" : "fails")")
                }
            }
        }
        .class("baseline-summary")
    }

    static func experiment(_ row: CheckReport.Row) -> String {
        String(row.item.prefix { $0 != "/" && $0 != " " })
    }
}

/// Items as `check` prints them, with their verdicts.
private struct BaselineRows: Component {
    var rows: [CheckReport.Row]

    var body: Component {
        Table(header: TableRow {
            Text("item")
            Text("baseline")
            Text("now")
            Text("tolerance")
            Text("verdict")
        }) {
            for row in rows {
                TableRow {
                    TableCell(row.item)
                    TableCell(row.baseline).class("number")
                    TableCell(row.now).class("number")
                    TableCell(row.tolerance).class("number")
                    TableCell(row.passed ? "passes" : "fails").class("verdict verdict-\(row.passed ? "holds" : "fails")")
                        .data(named: "item", value: AttributeValue.escaped(row.item))
                }
            }
        }
        .class("baselines")
    }
}
