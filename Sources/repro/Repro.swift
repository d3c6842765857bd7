import ArgumentParser
import Engine
import Foundation
import Suite

@main
struct Repro: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repro",
        abstract: "Reproduce optimization-for-ML papers: run experiments, draw figures, check against baselines.",
        discussion: """
        Typical session:
          repro list          papers, experiments, figures, datasets
          repro run PAPER     quick-scale runs (--scale full: the paper's size)
          repro figures       every figure, running what is missing
          repro check         fresh quick runs against stored baselines
          repro report        one HTML page: verdicts, baselines, figures
          repro export PAPER  every run as one tidy CSV for pandas or R
          repro verify        re-hash the stored runs, name any damaged one
        """,
        version: "\(SuiteInfo.version)\nBLAS: \(BLAS.library.description)",
        subcommands: [ListCommand.self, RunCommand.self, FiguresCommand.self, CheckCommand.self, ReportCommand.self, BaselineCommand.self,
                      SweepCommand.self, ExportCommand.self, VerifyCommand.self, DatasetsCommand.self]
    )

    /// Parses and runs the command. A reader that goes away (`repro export … | head`) makes writes
    /// fail with EPIPE instead of killing the process; parse errors exit with `ExitStatus.usage`
    /// like every other usage error (the argument parser's own status is 64).
    static func main() {
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            StandardStreams.diagnostic(fullMessage(for: error) + "\n")
            Foundation.exit(ExitStatus.usage.rawValue)
        }
    }
}
