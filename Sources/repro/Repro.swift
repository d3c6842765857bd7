import ArgumentParser
import Engine
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
}
