import ArgumentParser
import Foundation
import Suite

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Write a Slurm job-array script that splits a paper's sweep into shards.",
        discussion: """
        Each array task runs `repro run PAPER --shard i/n` in this checkout, writing into the shared \
        results folder; finished runs are skipped, so resubmitting only fills gaps.

        Example:
          repro sweep sign-methods --slurm --shards 8 --scale full > sweep.sbatch && sbatch sweep.sbatch
        """)

    @Argument(help: "Paper id.") var paper: String
    @Flag(name: .long, help: "Emit a Slurm job-array script (the only backend).") var slurm = false
    @Option(name: .long, help: "Number of array tasks.") var shards: Int = 4
    @Option(name: .long, help: "Scale to run.") var scale: Scale = .full
    @Option(name: .long, help: "Slurm time limit per task.") var time: String = "04:00:00"
    @OptionGroup var common: CommonOptions

    func run() throws {
        try reportingErrors {
            guard slurm else { throw ValidationError("choose a backend: --slurm") }
            guard shards >= 1 else { throw ValidationError("--shards must be at least 1") }
            let workspace = common.workspace()
            _ = try workspace.reproduction(paper)
            print(SlurmScript.make(paper: paper, scale: scale, shards: shards, jobsPerTask: common.jobs,
                                   checkout: FileManager.default.currentDirectoryPath, timeLimit: time), terminator: "")
        }
    }
}
