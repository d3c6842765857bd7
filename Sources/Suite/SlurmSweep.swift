/// What `repro sweep --slurm` submits, as one bash script run on the login node: one job array
/// per wave of experiments, whose task i runs shard i/n of that wave, and (when the sweep covers
/// the whole paper) a job that starts once every task succeeded to draw the figures and run
/// `check` against the baseline of the sweep's scale.
///
/// Waves follow `Experiment.after`: an experiment that reads another's runs (a fine-tuning that
/// reads its pre-trained model) goes in a later array that starts after the earlier one succeeded
/// (`afterok`), since a shard cannot wait for runs another shard computes. A failed task cancels
/// everything after it (`--kill-on-invalid-dep=yes`) instead of leaving it pending.
///
/// Every path is absolute and every task runs the same copy of the `repro` binary that wrote the
/// script, so tasks never build, never race on one `.build`, and a `git pull` in the checkout
/// while the arrays run changes no result. All tasks write into one results folder: finished runs
/// are reused, so resubmitting the script only fills gaps, and two tasks computing the same run
/// publish it once (`RunStore.publish`).
public struct SlurmSweep: Sendable {
    public var paper: String
    public var scale: Scale
    /// Experiment ids per wave; a wave's experiments read runs of earlier waves only.
    public var waves: [[String]]
    /// Whether the waves hold every experiment of the paper (then a final job draws and checks).
    public var wholePaper: Bool
    public var shards: Int
    /// CPUs per task, and the runs each task executes in parallel.
    public var cpusPerTask: Int
    public var timeLimit: String
    public var partition: String?
    /// The binary the tasks run, and the project, results, plots and log folders (absolute).
    public var binary: String
    public var root: String
    public var results: String
    public var plots: String
    public var logs: String
    /// The checkout's commit when the binary was copied, recorded in the runs' summaries.
    public var gitCommit: String?
    /// Seconds before the time limit at which Slurm asks a task to stop (SIGTERM): its runs save
    /// their checkpoints, and the task requeues itself to continue from them. Preemption sends
    /// the same signal, and `--requeue` brings the task back.
    public var stopLead = 120
    /// `--memory-limit` for every task; by default each task measures what its node and its job's
    /// cgroup (`--mem`) leave it.
    public var memory: MemoryBudget.Setting = .available

    public init(paper: String, scale: Scale, waves: [[String]], wholePaper: Bool, shards: Int, cpusPerTask: Int, timeLimit: String,
                partition: String?, binary: String, root: String, results: String, plots: String, logs: String,
                gitCommit: String? = RunEnvironment.gitCommit) throws {
        self.paper = paper
        self.scale = scale
        self.waves = waves
        self.wholePaper = wholePaper
        self.shards = shards
        self.cpusPerTask = cpusPerTask
        self.timeLimit = timeLimit
        self.partition = partition
        self.binary = binary
        self.root = root
        self.results = results
        self.plots = plots
        self.logs = logs
        self.gitCommit = gitCommit.flatMap { $0.allSatisfy(\.isHexDigit) ? $0 : nil }
        // The paths go into #SBATCH lines and echo commands as they are; refusing the characters
        // those would misread keeps the script simple enough to review.
        for (name, path) in [("the repro binary", binary), ("--root", root), ("--results", results), ("--plots", plots), ("--logs", logs)] {
            if let bad = path.first(where: { !Self.safe($0) }) {
                throw SuiteError("\(name) \(path) contains '\(bad)'; Slurm scripts need paths of letters, digits and / . _ - + = : @")
            }
        }
        if let partition, partition.isEmpty || !partition.allSatisfy({ Self.safe($0) && $0 != "/" }) {
            throw SuiteError("--partition '\(partition)' is not a Slurm partition name")
        }
    }

    static func safe(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || "/._-+=:@,".contains(c)) }

    public func script() -> String {
        let folders = "--root \(root) --results \(results)"
        let memoryOption: String
        switch memory {
        case .available: memoryOption = ""
        case .perRun(let bytes): memoryOption = " --memory-limit \(bytes)"
        case .unlimited: memoryOption = " --memory-limit none"
        }
        let resources = ["--cpus-per-task=\(cpusPerTask)", "--time=\(timeLimit)"] + (partition.map { ["--partition=\($0)"] } ?? [])
        // A requeued task appends to its log, so every attempt's lines stay in it.
        let stopping = ["--signal=B:TERM@\(stopLead)", "--requeue", "--open-mode=append"]
        // Every #SBATCH line comes before the first command, or Slurm ignores it.
        func header(_ name: String, output: String, options: [String] = []) -> String {
            (["#!/bin/bash", "#SBATCH --job-name=\(name)", "#SBATCH --output=\(logs)/\(output)"] + (resources + options).map { "#SBATCH \($0)" }
                + (gitCommit.map { ["export REPRO_GIT_COMMIT=\($0)"] } ?? []))
                .joined(separator: "\n")
        }
        func after(_ previous: String?) -> String {
            previous.map { " --dependency=afterok:${\($0)%%;*} --kill-on-invalid-dep=yes" } ?? ""
        }
        var lines = [
            "#!/bin/bash",
            "# Generated by `repro sweep \(paper) --slurm --shards \(shards) --scale \(scale.rawValue)`. Run: bash <this file>",
            "# Submits \(waves.count == 1 ? "a job array" : "\(waves.count) job arrays, each after the previous one succeeded,") of \(shards) task(s)"
                + (wholePaper ? ", then a job that draws the figures and checks them against the baseline." : "."),
            "# Resubmitting fills gaps only: finished runs in the results folder are reused.",
            "set -euo pipefail",
            "mkdir -p \(logs)",
        ]
        var previous: String?
        for (w, wave) in waves.enumerated() {
            // A single wave of the whole paper runs it all; otherwise each wave names its experiments.
            let only = waves.count == 1 && wholePaper ? "" : wave.map { " --experiment \($0)" }.joined()
            lines += [
                "wave\(w + 1)=$(sbatch --parsable --array=1-\(shards)\(after(previous)) <<'TASK'",
                header("repro-\(paper)", output: "\(paper)-%A_%a.log", options: stopping),
                // The batch shell gets Slurm's SIGTERM and passes it on; repro stops at its runs'
                // next checkpoints (status 143), and the task requeues itself to continue from them.
                "\(binary) run \(paper) \(folders) --scale \(scale.rawValue) --jobs \(cpusPerTask) --shard \"${SLURM_ARRAY_TASK_ID}/\(shards)\"\(memoryOption)\(only) &",
                "child=$!",
                "trap 'kill -TERM \"$child\" 2>/dev/null' TERM",
                "status=0",
                "wait \"$child\" || status=$?",
                "while kill -0 \"$child\" 2>/dev/null; do status=0; wait \"$child\" || status=$?; done",
                // Slurm requeues a running task by ending it; one that exited first would be recorded
                // as failed instead, so the task waits for that end (at most until its time limit).
                "if [ \"$status\" -eq 143 ]; then echo \"stopped at a checkpoint; requeued to continue\"; scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\" && exec sleep infinity; fi",
                "exit \"$status\"",
                "TASK",
                ")",
                "echo \"submitted job array ${wave\(w + 1)%%;*}: \(wave.joined(separator: ", ")) in \(shards) task(s); logs: \(logs)/\(paper)-${wave\(w + 1)%%;*}_TASK.log\"",
            ]
            previous = "wave\(w + 1)"
        }
        if wholePaper {
            let check = "\n\(binary) check \(paper) \(folders) --scale \(scale.rawValue) --jobs \(cpusPerTask)"
            lines += [
                "final=$(sbatch --parsable\(after(previous)) <<'FINAL'",
                header("repro-\(paper)-final", output: "\(paper)-final-%j.log"),
                "set -euo pipefail",
                "\(binary) figures \(paper) \(folders) --plots \(plots) --scale \(scale.rawValue) --jobs \(cpusPerTask)\(check)",
                "FINAL",
                ")",
                "echo \"submitted job ${final%%;*}: figures and check once every task succeeded; log: \(logs)/\(paper)-final-${final%%;*}.log\"",
            ]
        }
        lines.append("echo \"progress: \(binary) list \(folders)\"")
        return lines.joined(separator: "\n") + "\n"
    }
}
