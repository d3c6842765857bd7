import ArgumentParser
import Datasets
import Engine
import Foundation
import Suite

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Show papers, their experiments (runs done / total), figures, claims and datasets.",
        discussion: "Example: repro list")

    @OptionGroup var common: CommonOptions

    func run() throws {
        try reportingErrors {
            let workspace = try common.workspace()
            if workspace.catalog.isEmpty { print("papers: none yet") }
            for paper in workspace.catalog {
                print("\(paper.id) — \(paper.title) (\(paper.citation))")
                for scale in Scale.allCases {
                    for e in try workspace.experiments(paper, scale: scale) {
                        let states = e.runs.map { workspace.store.state($0) }
                        let done = states.filter { $0.summary != nil }.count, damaged = states.filter { $0.problem != nil }.count
                        var notes: [String] = []
                        if damaged > 0 { notes.append("\(damaged) damaged: `repro verify` names them, `repro run` recomputes them") }
                        let keys = Set(e.runs.map(\.key))
                        let unfinished = workspace.store.unfinishedRuns(paper: paper.id, experiment: e.id).filter { keys.contains($0.key) }
                        let running = unfinished.filter(\.running).count, stopped = unfinished.filter { !$0.running && $0.checkpointRows != nil }
                        if running > 0 { notes.append("\(running) running") }
                        if !stopped.isEmpty {
                            let latest = stopped.compactMap(\.checkpointSaved).max().map { " (latest saved \(RunEnvironment.timestamp($0)))" } ?? ""
                            notes.append("\(stopped.count) stopped at a checkpoint\(latest): `repro run` continues them")
                        }
                        let note = notes.isEmpty ? "" : " (\(notes.joined(separator: "; ")))"
                        print("  experiment \(e.id) [\(scale.rawValue)]: \(done)/\(e.runs.count) runs done\(note) — \(e.title)")
                    }
                }
                for f in paper.figures { print("  figure \(f.id): \(f.title)") }
                for c in paper.claims { print("  claim \(c.id) [\(c.source)]: \(c.statement)") }
                if !paper.datasets.isEmpty { print("  datasets: \(paper.datasets.joined(separator: ", "))") }
            }
            let cache = DatasetCache(root: DatasetCache.defaultRoot)
            print("datasets (cache \(cache.root.path)):")
            for spec in cache.registry.specs {
                let status = (try? cache.status(spec.name).summary) ?? "unknown"
                print("  \(spec.name): \(status)")
            }
            print("results: \(workspace.store.root.path)")
            print("BLAS: \(BLAS.library.description); \(BLAS.threads) threads")
        }
    }
}
