import Figures
import Foundation
import XCTest
@testable import Suite

final class SlurmSweepTests: XCTestCase {
    static let project = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func sweep(waves: [[String]] = [["e1", "e2"]], wholePaper: Bool = true, scale: Scale = .quick, results: String = "/shared/results") throws -> SlurmSweep {
        try SlurmSweep(paper: "p", scale: scale, waves: waves, wholePaper: wholePaper, shards: 3, cpusPerTask: 2, timeLimit: "01:00:00",
                       partition: nil, binary: "/shared/logs/bin/repro-1", root: "/home/me/repro", results: results,
                       plots: "/home/me/repro/plots", logs: "/shared/logs", gitCommit: "0123456789ab")
    }

    func testTasksRunTheCopiedBinaryOnOneShardEachWithExplicitFolders() throws {
        let script = try sweep().script()
        XCTAssertTrue(script.contains("sbatch --parsable --array=1-3 <<'TASK'"), script)
        XCTAssertTrue(script.contains("#SBATCH --cpus-per-task=2"), script)
        XCTAssertTrue(script.contains("/shared/logs/bin/repro-1 run p --root /home/me/repro --results /shared/results --scale quick --jobs 2 --shard \"${SLURM_ARRAY_TASK_ID}/3\" &\n"), script)
        XCTAssertFalse(script.contains("swift build"), "tasks never build")
        XCTAssertTrue(script.contains("export REPRO_GIT_COMMIT=0123456789ab\n/shared/logs/bin/repro-1 run"), "runs record the commit the binary was built at")
    }

    /// Slurm's SIGTERM before the time limit (and on preemption) reaches repro, which stops at its
    /// runs' checkpoints; a task stopped so requeues itself, and continues from them.
    func testTasksStopAtCheckpointsBeforeTheTimeLimitAndRequeue() throws {
        var sweep = try sweep()
        sweep.stopLead = 300
        let task = sweep.script().components(separatedBy: "<<'TASK'\n")[1].components(separatedBy: "\nTASK\n")[0]
        let lines = task.split(separator: "\n").map(String.init)
        let firstCommand = try XCTUnwrap(lines.firstIndex { !$0.hasPrefix("#") })
        for option in ["--signal=B:TERM@300", "--requeue", "--open-mode=append"] {
            let line = try XCTUnwrap(lines.firstIndex(of: "#SBATCH \(option)"), task)
            XCTAssertLessThan(line, firstCommand, "Slurm reads #SBATCH lines only before the first command")
        }
        XCTAssertTrue(task.contains("trap 'kill -TERM \"$child\" 2>/dev/null' TERM"), task)
        XCTAssertTrue(task.contains("if [ \"$status\" -eq 143 ]; then") && task.contains("scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\""), task)
        XCTAssertTrue(task.hasSuffix("exit \"$status\""), task)
    }

    /// `--memory-limit` reaches every task; without it each task measures its own node and cgroup.
    func testTasksGetTheMemoryLimitOfTheSweep() throws {
        var sweep = try sweep()
        XCTAssertFalse(sweep.script().contains("--memory-limit"))
        sweep.memory = .perRun(16 << 30)
        XCTAssertTrue(sweep.script().contains("--shard \"${SLURM_ARRAY_TASK_ID}/3\" --memory-limit 17179869184 &"), sweep.script())
        sweep.memory = .unlimited
        XCTAssertTrue(sweep.script().contains(" --memory-limit none &"), sweep.script())
    }

    func testAWholePaperEndsWithFiguresAndCheckAfterTheArraySucceeded() throws {
        let quick = try sweep().script()
        XCTAssertTrue(quick.contains("final=$(sbatch --parsable --dependency=afterok:${wave1%%;*} --kill-on-invalid-dep=yes <<'FINAL'"), quick)
        XCTAssertTrue(quick.contains("/shared/logs/bin/repro-1 check p --root /home/me/repro --results /shared/results"), quick)
        XCTAssertTrue(try sweep(scale: .full).script().contains("check p --root /home/me/repro --results /shared/results --scale full"),
                      "a full sweep ends by comparing with baselines-full.json")
        let partial = try sweep(waves: [["e1"]], wholePaper: false).script()
        XCTAssertTrue(partial.contains("--experiment e1"), partial)
        XCTAssertFalse(partial.contains("--dependency"), "figures and check need the whole paper")
    }

    func testExperimentsThatReadOthersGetAnArrayAfterThem() throws {
        let upstream = Experiment(id: "pretrain", title: "t", runs: []) { _, _ in }
        let downstream = Experiment(id: "finetune", title: "t", runs: [], after: ["pretrain"]) { _, _ in }
        let other = Experiment(id: "other", title: "t", runs: []) { _, _ in }
        let all = [downstream, upstream, other]
        let waves = Experiment.waves(all.map(\.id), of: { $0 }, in: all)
        XCTAssertEqual(waves, [["pretrain", "other"], ["finetune"]])
        let script = try sweep(waves: waves).script()
        XCTAssertTrue(script.contains("--shard \"${SLURM_ARRAY_TASK_ID}/3\" --experiment pretrain --experiment other &\n"), script)
        XCTAssertTrue(script.contains("wave2=$(sbatch --parsable --array=1-3 --dependency=afterok:${wave1%%;*} --kill-on-invalid-dep=yes"), script)
        XCTAssertTrue(script.contains("--dependency=afterok:${wave2%%;*}"), "the final job waits for the last array")
    }

    func testPathsTheScriptWouldMisreadAreRefused() {
        for path in ["/shared/my results", "/shared/$HOME", "/shared/a\"b", "/shared/%j"] {
            XCTAssertThrowsError(try sweep(results: path)) { XCTAssertTrue("\($0)".hasPrefix("--results \(path) contains"), "\($0)") }
        }
    }

    func testScriptIsValidBash() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sweep-\(UUID().uuidString).sh")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(try sweep(waves: [["a"], ["b"]]).script().utf8).write(to: file)
        XCTAssertEqual(try run("/bin/bash", ["-n", file.path]).status, 0)
    }

    /// A one-node Slurm (scripts/slurm-local) for `body`, which gets a scratch folder, the release
    /// binary and the environment that points Slurm's clients at it; skipped without Slurm or root.
    func withLocalSlurm(_ body: (_ folder: URL, _ binary: URL, _ slurm: [String: String]) throws -> Void) throws {
        let binary = Self.project.appendingPathComponent(".build/release/repro")
        for tool in ["munged", "slurmctld", "slurmd", "sbatch", "squeue", "scontrol"] where executableOnPath(tool) == nil {
            throw XCTSkip("Slurm not installed (\(tool) missing): apt-get install slurm-wlm munge, as CI does")
        }
        guard getuid() == 0 else { throw XCTSkip("the one-node Slurm of scripts/slurm-local needs root") }
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw XCTSkip("no release build at \(binary.path): run scripts/setup (or swift build -c release) first")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slurm-sweep-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let cluster = folder.appendingPathComponent("cluster")
        let up = try run(Self.project.appendingPathComponent("scripts/slurm-local").path, ["start", cluster.path])
        defer { _ = try? run(Self.project.appendingPathComponent("scripts/slurm-local").path, ["stop", cluster.path]) }
        guard up.status == 0 else { return XCTFail("scripts/slurm-local start failed:\n\(up.output)") }
        try body(folder, binary, ["SLURM_CONF": cluster.appendingPathComponent("slurm.conf").path])
    }

    /// Waits until Slurm's queue is empty (at most `minutes`), calling `pending` with each job
    /// waiting for its begin time.
    func waitForEmptyQueue(_ slurm: [String: String], minutes: Double, pending: (String) throws -> Void = { _ in }) throws -> Bool {
        let deadline = Date().addingTimeInterval(minutes * 60)
        while true {
            let queue = try run(executableOnPath("squeue")!.path, ["-h", "-o", "%i %r"], environment: slurm)
            guard queue.status == 0 else { XCTFail("squeue failed:\n\(queue.output)"); return false }
            if queue.output.allSatisfy(\.isWhitespace) { return true }
            guard Date() < deadline else { XCTFail("Slurm jobs still queued after \(minutes) minutes:\n\(queue.output)"); return false }
            for line in queue.output.split(separator: "\n") where line.hasSuffix(" BeginTime") { try pending(String(line.split(separator: " ")[0])) }
            Thread.sleep(forTimeInterval: 2)
        }
    }

    /// The final state and restart count of a job, from `scontrol show job`.
    func jobStates(_ job: String, _ slurm: [String: String]) throws -> (states: [String], restarts: Int, text: String) {
        let text = try run(executableOnPath("scontrol")!.path, ["show", "job", job], environment: slurm).output
        let restarts = text.matches(of: #/Restarts=(\d+)/#).compactMap { Int($0.output.1) }.max() ?? 0
        return (text.matches(of: #/JobState=(\w+)/#).map { String($0.output.1) }, restarts, text)
    }

    /// On a real one-node Slurm (scripts/slurm-local): `repro sweep --submit` for the demo (3 tasks and
    /// the final check job) and for one experiment of a real paper; the stored runs must equal those
    /// of a plain local `repro run` bit for bit, and every job must complete.
    func testSweepThroughARealSlurmEqualsALocalRun() throws {
        try withLocalSlurm { folder, binary, slurm in
            let sweeps: [(paper: String, only: [String])] = [("demo-least-squares", []), ("sign-methods", ["comparison"])]
            var submitted = ""
            for (paper, only) in sweeps {
                let sweep = try run(binary.path, ["sweep", paper, "--slurm", "--shards", "3", "--scale", "quick", "--jobs", "1", "--submit",
                                                  "--root", Self.project.path, "--results", folder.appendingPathComponent("slurm-results").path,
                                                  "--plots", folder.appendingPathComponent("plots").path,
                                                  "--logs", folder.appendingPathComponent("logs").path] + only.flatMap { ["--experiment", $0] },
                                    environment: slurm)
                XCTAssertEqual(sweep.status, 0, sweep.output)
                submitted += sweep.output
            }
            let jobs = submitted.matches(of: #/submitted job(?: array)? (\d+)/#).map { String($0.output.1) }
            XCTAssertEqual(jobs.count, 3, submitted)
            guard try waitForEmptyQueue(slurm, minutes: 10) else { return }
            for job in jobs {
                let (states, _, text) = try jobStates(job, slurm)
                XCTAssertEqual(states.filter { $0 != "COMPLETED" }, [], "job \(job) did not complete:\n\(text)")
            }
            let finalLog = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("logs").path)
                .first { $0.hasPrefix("demo-least-squares-final-") }
            let checkOutput = try String(contentsOf: folder.appendingPathComponent("logs/\(try XCTUnwrap(finalLog))"), encoding: .utf8)
            XCTAssertTrue(checkOutput.contains("claim adam-fits") && !checkOutput.contains("FAIL"), checkOutput)

            let local = folder.appendingPathComponent("local-results")
            for (paper, only) in sweeps {
                let plain = try run(binary.path, ["run", paper, "--scale", "quick", "--root", Self.project.path, "--results", local.path]
                                    + only.flatMap { ["--experiment", $0] })
                XCTAssertEqual(plain.status, 0, plain.output)
            }
            try assertSameRuns(folder.appendingPathComponent("slurm-results"), local, atLeast: 300)
        }
    }

    /// A task whose time limit is shorter than its work, on a real one-node Slurm: Slurm's SIGTERM
    /// 60 s before the limit stops it at its runs' checkpoints, the task requeues itself, continues
    /// from them, and completes; the store equals an uninterrupted local run bit for bit. The work
    /// is the recommender quality experiment of a copy of the project whose quick runs train 300
    /// epochs without early stopping, one seed: about 100 s on 2 cores.
    func testATaskStoppedAtItsTimeLimitContinuesToTheSameRuns() throws {
        try withLocalSlurm { folder, binary, slurm in
            let root = folder.appendingPathComponent("project")
            let fm = FileManager.default
            try fm.createDirectory(at: root, withIntermediateDirectories: true)
            for name in ["reproductions", "datasets"] {
                try fm.copyItem(at: Self.project.appendingPathComponent(name), to: root.appendingPathComponent(name))
            }
            let config = root.appendingPathComponent("reproductions/ssm-recsys/experiments.yaml")
            let text = try String(contentsOf: config, encoding: .utf8)
            let quick = "maxEpochs: 40, patience: 5, optimizer: {method: adam, lr: 0.001}, seeds: 2}"
            XCTAssertEqual(text.components(separatedBy: quick).count, 2, "the quality quick sweep changed; update this test's copy of it")
            try text.replacingOccurrences(of: quick, with: "maxEpochs: 300, patience: 300, optimizer: {method: adam, lr: 0.001}, seeds: 1}")
                .write(to: config, atomically: true, encoding: .utf8)

            let folders = ["--root", root.path, "--experiment", "quality", "--scale", "quick"]
            let sweep = try run(binary.path, ["sweep", "ssm-recsys", "--slurm", "--shards", "1", "--jobs", "2", "--time", "2", "--stop-before", "60",
                                              "--results", folder.appendingPathComponent("slurm-results").path,
                                              "--logs", folder.appendingPathComponent("logs").path, "--submit"] + folders, environment: slurm)
            XCTAssertEqual(sweep.status, 0, sweep.output)
            let job = try XCTUnwrap(sweep.output.firstMatch(of: #/submitted job array (\d+)/#).map { String($0.output.1) }, sweep.output)
            // Slurm holds a requeued job about two minutes before it may start again; releasing it
            // sooner changes only when the next attempt starts. (Released the moment it turned
            // pending, the next attempt failed here once; 15 s later it starts cleanly.)
            var pendingSince: [String: Date] = [:]
            guard try waitForEmptyQueue(slurm, minutes: 12, pending: { id in
                let since = pendingSince[id] ?? Date()
                pendingSince[id] = since
                guard Date().timeIntervalSince(since) > 15 else { return }
                _ = try run(executableOnPath("scontrol")!.path, ["update", "JobId=\(id)", "StartTime=now"], environment: slurm)
                pendingSince[id] = nil
            }) else { return }
            let (states, restarts, description) = try jobStates(job, slurm)
            XCTAssertEqual(states, ["COMPLETED"], description)
            XCTAssertGreaterThanOrEqual(restarts, 1, "the task was never stopped at its time limit:\n\(description)")
            let log = try String(contentsOf: folder.appendingPathComponent("logs/ssm-recsys-\(job)_1.log"), encoding: .utf8)
            XCTAssertTrue(log.contains("stopped at a checkpoint; requeued to continue"), log)
            XCTAssertTrue(log.contains("continued from a checkpoint"), log)

            let local = try run(binary.path, ["run", "ssm-recsys", "--jobs", "2", "--results", folder.appendingPathComponent("local-results").path] + folders)
            XCTAssertEqual(local.status, 0, local.output)
            try assertSameRuns(folder.appendingPathComponent("slurm-results"), folder.appendingPathComponent("local-results"), atLeast: 5)
        }
    }

    /// Same run folders under both stores, with identical metrics.csv bytes and summaries equal in
    /// everything computed (wall time, host and thread count are machine facts).
    func assertSameRuns(_ a: URL, _ b: URL, atLeast count: Int) throws {
        let fm = FileManager.default
        func runs(_ root: URL) -> [String] {
            (fm.enumerator(atPath: root.path)?.compactMap { $0 as? String } ?? []).filter { $0.hasSuffix("/summary.json") }.sorted()
        }
        XCTAssertEqual(runs(a), runs(b))
        XCTAssertGreaterThanOrEqual(runs(a).count, count)
        for summary in runs(a) {
            let folder = (summary as NSString).deletingLastPathComponent
            XCTAssertEqual(try Data(contentsOf: a.appendingPathComponent(folder).appendingPathComponent("metrics.csv")),
                           try Data(contentsOf: b.appendingPathComponent(folder).appendingPathComponent("metrics.csv")), folder)
            let (x, y) = (try JSONDecoder().decode(RunSummary.self, from: Data(contentsOf: a.appendingPathComponent(summary))),
                          try JSONDecoder().decode(RunSummary.self, from: Data(contentsOf: b.appendingPathComponent(summary))))
            XCTAssertEqual(x.key, y.key, folder)
            XCTAssertEqual(x.final, y.final, folder)
            XCTAssertEqual(x.diverged, y.diverged, folder)
        }
    }

    func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}
