import Plot
import Suite

/// Where a paper's runs come from, one column per scale: how many of the declared runs are in the
/// store, how many diverged, the compute they took, and the engine, commit, BLAS and machines.
struct ProvenanceTable: Component {
    var provenance: [Scale: RunProvenance]

    var body: Component {
        Table(header: TableRow {
            Text("from the runs' summary.json")
            for scale in Scale.allCases { Text("\(scale.rawValue) scale") }
        }) {
            fact("runs in the store", evenWithoutRuns: true) { "\($0.finished) of \($0.declared)" }
            fact("diverged") { String($0.diverged) }
            fact("run time (summed over runs)") { ProgressReporter.duration($0.wallSeconds) }
            fact("last run finished") { $0.lastFinished ?? "—" }
            fact("engine version") { Self.list($0.engineVersions) }
            fact("git commit") { Self.list($0.gitCommits) }
            fact("BLAS") { Self.list($0.blas) }
            fact("BLAS threads per run") { Self.list($0.blasThreads.map(String.init)) }
            fact("machine") { Self.list($0.hosts) }
        }
        .class("provenance")
    }

    /// A row; a scale with no runs shows a dash unless `evenWithoutRuns`.
    private func fact(_ name: String, evenWithoutRuns: Bool = false, _ value: @escaping (RunProvenance) -> String) -> Component {
        TableRow {
            TableCell(name).class("fact")
            for scale in Scale.allCases {
                if let p = provenance[scale], p.finished > 0 || evenWithoutRuns {
                    TableCell(value(p))
                } else {
                    TableCell("—")
                }
            }
        }
    }

    /// Values, the first few of a long list (runs spread over many commits, say).
    static func list(_ values: [String]) -> String {
        values.isEmpty ? "—" : values.prefix(4).joined(separator: ", ") + (values.count > 4 ? " and \(values.count - 4) more" : "")
    }
}
