import ArgumentParser
import Suite

struct FiguresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figures",
        abstract: "Regenerate every figure from stored runs (computing missing quick runs; full-scale ones only with --run).",
        discussion: """
        Full scale writes plots/<paper>/<figure>.png and .svg (the committed, paper-scale figures), quick \
        scale writes plots/quick/<paper>/ (git-ignored), each with the .gp script and .csv data that made them; \
        edit a .gp and re-run `gnuplot <figure>.gp` in that folder to restyle a figure by hand. \
        Tables of the numbers a paper's README quotes go next to them as <table>.md and <table>.csv.

        Examples:
          repro figures
          repro figures heavy-tailed-clipping --scale full
          repro figures model-parallel-compression --scale full --run
        """)

    @Argument(help: "Papers (default: all).") var papers: [String] = []
    @Option(name: .long, help: "Draw from quick or full runs.") var scale: Scale = .quick
    @Flag(name: .customLong("run"), help: "Also compute missing full-scale runs (missing quick runs are always computed).") var computeRuns = false
    @OptionGroup var common: CommonOptions

    func run() throws {
        try reportingErrors {
            let workspace = try common.workspace(results: scale == .quick || computeRuns ? .write : .read, plots: .write)
            let runner = try common.runner(workspace: workspace)
            var figures = 0, tables = 0
            for paper in try workspace.reproductions(papers) {
                let files = try workspace.figures(paper, scale: scale, runner: runner, computeMissing: scale == .quick || computeRuns)
                figures += files.filter { $0.pathExtension == "png" }.count
                tables += files.filter { $0.pathExtension == "md" }.count
            }
            print("\(figures) figure(s) and \(tables) table(s) written under \(workspace.plotsRoot.path); "
                + "`repro report\(workspace.commandOptions)` shows them with the claims in \(workspace.reportDirectory.path)/index.html")
        }
    }
}
