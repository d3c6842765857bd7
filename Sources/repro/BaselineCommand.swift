import ArgumentParser
import Suite

struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Run a paper at quick scale and store its metrics as the baseline `check` compares against.",
        discussion: """
        Writes reproductions/<paper>/baselines.json (per run group: mean, spread across seeds, seeds, \
        diverged seeds). Commit it after reviewing the diff.

        Example:
          repro baseline heavy-tailed-clipping
        """)

    @Argument(help: "Paper id.") var paper: String
    @Flag(name: .long, help: "Recompute the quick runs instead of reusing stored ones.") var fresh = false
    @OptionGroup var common: CommonOptions

    func run() throws {
        try reportingErrors {
            let workspace = common.workspace()
            _ = try workspace.baseline(try workspace.reproduction(paper), runner: try common.runner(workspace: workspace, force: fresh))
        }
    }
}
