import ArgumentParser
import Foundation
import Suite

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Compare runs with the stored baselines and evaluate every claim; fails on any regression.",
        discussion: """
        The baseline holds each metric under several BLAS kernels (`repro baseline`). A metric \
        \(Tolerance.rule). A claim passes when it holds, fails as declared, or is inconclusive \
        (an interval reaches its threshold, or the baseline's kernels disagree on it). Prints one \
        table and exits with status 1 if anything failed.

        --scale full compares the full-scale runs in the store with baselines-full.json. It \
        computes nothing (a paper's full sweep takes an hour or more): groups whose runs are not \
        all in the store, and the claims that read them, are listed as missing, not failed.

        --rerun N then re-executes N stored quick runs of each paper (spread over its experiments) \
        with every core and requires their metrics to be bit-identical to the stored ones, whatever \
        thread count the stored runs had.

        Examples:
          repro check
          repro check heavy-tailed-clipping --fresh
          repro check --rerun 5
          repro check ssm-recsys --scale full
        """)

    @Argument(help: "Papers (default: all).") var papers: [String] = []
    @Option(name: .long, help: "quick (computes missing runs) or full (compares the stored ones with baselines-full.json).")
    var scale: Scale = .quick
    @Flag(name: .long, help: "Recompute the quick runs instead of reusing stored ones.") var fresh = false
    @Option(name: .long, help: "Re-execute N stored quick runs per paper and require bit-identical results.") var rerun: Int?
    @OptionGroup var common: CommonOptions

    func validate() throws {
        if let rerun, rerun < 1 { throw ValidationError("--rerun must be at least 1 (got \(rerun))") }
        if fresh && scale != .quick { throw ValidationError("--fresh recomputes quick runs only; full-scale runs are computed by `repro run --scale full --force`") }
    }

    func run() throws {
        try reportingErrors {
            let workspace = try common.workspace(results: scale == .quick ? .write : .read)
            let report = try workspace.check(try workspace.reproductions(papers), runner: try common.runner(workspace: workspace, force: fresh),
                                             scale: scale, rerun: rerun ?? 0)
            print(report.table(), terminator: "")
            if report.rows.isEmpty { print("nothing to check: no papers in the catalog") }
            let next = "`repro report\(workspace.commandOptions)` writes these verdicts with the figures and tables to \(workspace.reportDirectory.path)/index.html"
            guard report.passed else {
                print("check: \(report.failures) of \(report.items) item(s) FAILED; \(next)")
                throw ExitCode.failure
            }
            let missing = report.missing > 0 ? " (\(report.missing) missing: their runs are not in the store)" : ""
            print("check: all \(report.items - report.missing) item(s) passed\(missing); \(next)")
        }
    }
}
