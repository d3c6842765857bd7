import ArgumentParser
import Suite

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a paper's experiments (finished runs are reused).",
        discussion: """
        Runs every experiment of PAPER at the chosen scale, or only those named with --experiment. \
        Each run is stored under results/<paper>/<experiment>/<key>/ and is never recomputed unless \
        --force; --shard i/n runs a deterministic part so several machines can share a sweep.

        Examples:
          repro run heavy-tailed-clipping
          repro run heavy-tailed-clipping --experiment synthetic --scale full --jobs 2
          repro run sign-methods --shard 2/4
        """)

    @Argument(help: "Paper id (see `repro list`).") var paper: String
    @Option(name: .long, help: "Only this experiment (repeatable).") var experiment: [String] = []
    @Option(name: .long, help: "quick (seconds per run) or full (the paper's scale on this machine).") var scale: Scale = .quick
    @Option(name: .long, help: "Seeds per run group, overriding the config.") var seeds: Int?
    @Option(name: .long, help: "Run part i of n of the sweep, e.g. 2/4.") var shard: String?
    @Flag(name: .long, help: "Recompute runs even if they are finished.") var force = false
    @OptionGroup var common: CommonOptions

    func run() throws {
        try reportingErrors {
            let workspace = try common.workspace(results: .write)
            let paper = try workspace.reproduction(self.paper)
            let experiments = try workspace.experiments(paper, scale: scale, only: experiment, seeds: seeds)
            let runner = try common.runner(workspace: workspace, force: force, shard: try shard.map(Shard.init(parsing:)) ?? .all)
            try workspace.run(paper, experiments: experiments, runner: runner)
        }
    }
}
