import ArgumentParser
import Crypto
import Engine
import Foundation
import Suite

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Split a paper's sweep over a Slurm job array, with figures and check after it.",
        discussion: """
        Writes one script into the --logs folder and prints its path (--submit also runs it). The \
        script submits a job array whose task i runs `repro run PAPER --shard i/n` with --jobs CPUs \
        (required: Slurm's --cpus-per-task), and, for a whole paper, a job that starts after every \
        task succeeded (afterok) and runs `repro figures` and, at quick scale, `repro check`. \
        Experiments that read other experiments' runs (a fine-tuning reading its pre-training) get \
        an array of their own that starts after the one they read.

        Tasks run a copy of this binary (saved in the --logs folder), so nothing is built on the \
        cluster and updating the checkout while the array runs changes nothing. Every path in the \
        script is absolute: results, plots and logs must be on a filesystem all nodes share. \
        Finished runs are reused, so submitting the script again fills gaps only; two tasks that \
        compute the same run store it once. `repro list --results DIR` shows how far a sweep is.

        Examples:
          swift run -c release repro sweep sign-methods --slurm --shards 8 --jobs 4 --scale full --results /shared/results --submit
          repro sweep heavy-tailed-clipping --slurm --shards 3 --jobs 2 --scale quick --logs /shared/logs
          repro sweep model-parallel-compression --slurm --jobs 2 --experiment image --partition gpu --time 08:00:00
        """)

    @Argument(help: "Paper id.") var paper: String
    @Flag(name: .long, help: "Use Slurm (the only backend).") var slurm = false
    @Option(name: .long, help: "Array tasks (shards of the sweep).") var shards: Int = 4
    @Option(name: .long, help: "Scale to run.") var scale: Scale = .full
    @Option(name: .long, help: "Only this experiment (repeatable; no final figures/check job then).") var experiment: [String] = []
    @Option(name: .long, help: "Slurm time limit per task.") var time: String = "04:00:00"
    @Option(name: .long, help: "Seconds before the time limit at which a task stops at its runs' checkpoints and requeues itself.")
    var stopBefore = 120
    @Option(name: .long, help: "Slurm partition (default: the cluster's default).") var partition: String?
    @Option(name: .long, help: "Folder for the script, the binary copy and the job logs.") var logs: String = "slurm-logs"
    @Flag(name: .long, help: "Submit right away (runs the script with bash).") var submit = false
    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard slurm else { throw ValidationError("choose a backend: --slurm") }
        guard shards >= 1 else { throw ValidationError("--shards must be at least 1, got \(shards)") }
        // This machine's core count says nothing about the cluster's nodes.
        guard let jobs = common.jobs else { throw ValidationError("say how many CPUs each task gets: --jobs N (Slurm's --cpus-per-task)") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
        guard stopBefore >= 10 else { throw ValidationError("--stop-before must be at least 10 seconds, got \(stopBefore)") }
        guard time.range(of: #"^(\d+-)?\d+(:\d{2}){0,2}$"#, options: .regularExpression) != nil else {
            throw ValidationError("--time must be a Slurm time such as 04:00:00 or 1-12:00:00, got '\(time)'")
        }
    }

    func run() throws {
        try reportingErrors {
            let workspace = try common.workspace(results: .write)
            let reproduction = try workspace.reproduction(paper)
            // Reading the experiments validates the config now, not in every task on the cluster.
            let experiments = try workspace.experiments(reproduction, scale: scale, only: experiment)
            let runs = experiments.reduce(0) { $0 + $1.runs.count }
            let logFolder = URL(fileURLWithPath: logs, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
            var isFolder: ObjCBool = false
            if logs.isEmpty || (FileManager.default.fileExists(atPath: logFolder.path, isDirectory: &isFolder) && !isFolder.boolValue) {
                throw SuiteError("--logs \(logFolder.path) is \(logs.isEmpty ? "empty" : "a file"); give a folder for the script, the binary copy and the job logs "
                                 + "(their names are new on every sweep, so nothing in it is replaced)")
            }
            let jobs = common.jobCount
            var sweep = try SlurmSweep(paper: paper, scale: scale, waves: Experiment.waves(experiments.map(\.id), of: { $0 }, in: experiments), wholePaper: experiment.isEmpty,
                                       shards: shards, cpusPerTask: jobs, timeLimit: time, partition: partition,
                                       binary: try copyOfThisBinary(into: logFolder.appendingPathComponent("bin")).path,
                                       root: workspace.root.standardizedFileURL.path, results: workspace.store.root.standardizedFileURL.path,
                                       plots: workspace.plotsRoot.standardizedFileURL.path, logs: logFolder.path)
            sweep.stopLead = stopBefore
            sweep.memory = try common.memorySetting()
            let stamp = "\(Int(Date().timeIntervalSince1970))-\(ProcessInfo.processInfo.processIdentifier)"
            let script = logFolder.appendingPathComponent("sweep-\(paper)-\(scale.rawValue)-\(stamp).sh")
            try Data(sweep.script().utf8).write(to: script, options: .atomic)
            let arrays = sweep.waves.count == 1 ? "" : " (\(sweep.waves.count) arrays one after the other: \(sweep.waves.map { $0.joined(separator: ", ") }.joined(separator: " | ")))"
            print("""
                \(paper) at \(scale.rawValue) scale: \(runs) run(s) in \(shards) task(s) of \(jobs) CPU(s)\(arrays)\(sweep.wholePaper ? ", then figures\(scale == .quick ? " and check" : "")" : "")
                results: \(sweep.results)
                script:  \(script.path)
                """)
            guard submit else {
                print("submit with: bash \(script.path)")
                return
            }
            // The summary above comes first, even when stdout is a pipe.
            fflush(stdout)
            // sbatch returns within seconds; one that waits on an unreachable controller is stopped.
            let submission = try BoundedProcess(URL(fileURLWithPath: "/bin/bash"), arguments: [script.path], timeout: 300).run()
            print(submission.output, terminator: "")
            StandardStreams.diagnostic(submission.errors)
            guard submission.succeeded else {
                let why = submission.timedOut ? "did not finish in 300 s and was stopped" : submission.status.map { "exited with \($0)" } ?? "was killed"
                throw SuiteError("submitting failed (bash \(script.path) \(why)): \(submission.errors.suffix(500)) — is sbatch on PATH and the cluster reachable?",
                                 kind: .failed)
            }
        }
    }

    /// This very executable, copied for the tasks under a name from its SHA-256, so sweeps of one
    /// build share one copy and a rebuilt binary never replaces the one running tasks use. The
    /// copy is written atomically, before any job is submitted.
    func copyOfThisBinary(into folder: URL) throws -> URL {
        let fm = FileManager.default
        let running = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let bytes: Data
        do { bytes = try Data(contentsOf: running) } catch {
            throw SuiteError("cannot read this repro binary (\(running.path)) to copy it for the tasks: \(error.localizedDescription)")
        }
        let digest = SHA256.hash(data: bytes).prefix(8).hexString
        let copy = folder.appendingPathComponent("repro-\(digest)")
        if fm.isExecutableFile(atPath: copy.path) { return copy }
        do {
            try fm.createDirectory(at: folder, withIntermediateDirectories: true)
            try bytes.write(to: copy, options: .atomic)
            try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: copy.path)
        } catch {
            throw SuiteError("cannot copy the repro binary into \(folder.path): \(error.localizedDescription)")
        }
        return copy
    }
}
