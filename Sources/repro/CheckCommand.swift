import ArgumentParser
import Foundation
import Suite

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Compare quick runs with the stored baselines and evaluate every claim; fails on any regression.",
        discussion: """
        The baseline holds each metric under several BLAS kernels (`repro baseline`). A metric \
        \(Tolerance.rule). A claim passes when it holds, fails as declared, or is inconclusive \
        because the baseline's kernels disagree on it. Prints one table and exits with status 1 if anything failed.

        --rerun N then re-executes N stored quick runs of each paper (spread over its experiments) \
        with every core and requires their metrics to be bit-identical to the stored ones, whatever \
        thread count the stored runs had.

        Examples:
          repro check
          repro check heavy-tailed-clipping --fresh
          repro check --rerun 5
        """)

    @Argument(help: "Papers (default: all).") var papers: [String] = []
    @Flag(name: .long, help: "Recompute the quick runs instead of reusing stored ones.") var fresh = false
    @Option(name: .long, help: "Re-execute N stored quick runs per paper and require bit-identical results.") var rerun: Int?
    @OptionGroup var common: CommonOptions

    func validate() throws {
        if let rerun, rerun < 1 { throw ValidationError("--rerun must be at least 1 (got \(rerun))") }
    }

    func run() throws {
        try reportingErrors {
            let workspace = common.workspace()
            let report = try workspace.check(try workspace.reproductions(papers), runner: try common.runner(workspace: workspace, force: fresh),
                                             rerun: rerun ?? 0)
            print(report.table(), terminator: "")
            if report.rows.isEmpty { print("nothing to check: no papers in the catalog") }
            let next = "`repro report` writes these verdicts with the figures and tables to \(workspace.reportDirectory.path)/index.html"
            guard report.passed else {
                print("check: \(report.failures) of \(report.items) item(s) FAILED; \(next)")
                throw ExitCode.failure
            }
            print("check: all \(report.items) item(s) passed; \(next)")
        }
    }
}
