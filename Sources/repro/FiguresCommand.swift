import ArgumentParser
import Suite

struct FiguresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figures",
        abstract: "Regenerate every figure from stored runs, running what is missing.",
        discussion: """
        Full scale writes plots/<paper>/<figure>.png and .svg (the committed, paper-scale figures), quick \
        scale writes plots/quick/<paper>/ (git-ignored), each with the .gp script and .csv data that made them; \
        edit a .gp and re-run `gnuplot <figure>.gp` in that folder to restyle a figure by hand. \
        Tables of the numbers a paper's README quotes go next to them as <table>.md and <table>.csv.

        Examples:
          repro figures
          repro figures heavy-tailed-clipping --scale full
        """)

    @Argument(help: "Papers (default: all).") var papers: [String] = []
    @Option(name: .long, help: "Draw from quick or full runs.") var scale: Scale = .quick
    @OptionGroup var common: CommonOptions

    func run() throws {
        try reportingErrors {
            let workspace = common.workspace()
            let runner = try common.runner(workspace: workspace)
            var figures = 0, tables = 0
            for paper in try workspace.reproductions(papers) {
                let files = try workspace.figures(paper, scale: scale, runner: runner)
                figures += files.filter { $0.pathExtension == "png" }.count
                tables += files.filter { $0.pathExtension == "md" }.count
            }
            print("\(figures) figure(s) and \(tables) table(s) written under \(workspace.plotsRoot.path)")
        }
    }
}
