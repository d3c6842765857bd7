import ArgumentParser
import Engine
import Foundation
import Suite

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write every finished run of a paper as one tidy CSV: a row per run, a column per config field, metric and measurement.",
        discussion: """
        Columns: paper, experiment, group, seed, key; config.<field> (a spec such as the optimizer \
        spread into config.optimizer.lr, config.optimizer.method, …); final.<metric>; \
        measurement.<name>; then diverged, divergence, wall_seconds, git_commit, engine_version, \
        blas_version, blas_core, blas_threads, host, finished_at. RFC 4180 quoting, one header, an \
        empty cell where a run has no such field; nan and inf as pandas and R read them. Runs of \
        the sweep that are not finished are left out and counted on stderr.

        Examples:
          repro export sign-methods --output sign-quick.csv
          repro export ssm-recsys --scale full --results /shared/repro-results --output ssm-full.csv
          repro export heavy-tailed-clipping > runs.csv
        """)

    @Argument(help: "Paper id (see `repro list`).") var paper: String
    @Option(name: .long, help: "quick or full: which sweep's runs. (default: quick)") var scale: Scale = .quick
    @Option(name: .long, help: "CSV file to write; - or none: standard output.") var output: String?
    @Flag(name: .long, help: "Replace an existing --output file that is not an earlier export.") var force = false
    @OptionGroup var common: CommonOptions

    func run() throws {
        try reportingErrors {
            let workspace = try common.workspace()
            let reproduction = try workspace.reproduction(paper)
            if let output, output != "-" { try RunExport.refuseForeignOutput(URL(fileURLWithPath: output), force: force) }
            let experiments = try workspace.experiments(reproduction, scale: scale)
            let export = try RunExport(experiments, store: workspace.store)
            let total = export.rows.count + export.missing
            guard !export.rows.isEmpty else {
                throw SuiteError("no finished \(scale.rawValue)-scale run of \(paper) in \(workspace.store.root.path) (\(total) in the sweep); "
                                 + "run `repro run \(paper)\(scale == .full ? " --scale full" : "")\(workspace.commandOptions)` first, or point --results at the store")
            }
            let destination: String
            if let output, output != "-" {
                let url = URL(fileURLWithPath: output)
                try export.write(to: url, force: force)
                destination = url.path
            } else {
                try StandardStreams.output(Data(export.csv().utf8))
                destination = "standard output"
            }
            let left = export.missing > 0 ? "; \(export.missing) of the sweep's \(total) runs are not finished and left out" : ""
            StandardStreams.diagnostic("export: \(export.rows.count) run(s) × \(export.columns.count) columns of \(paper) (\(scale.rawValue)) to \(destination)\(left)\n")
        }
    }
}
