import Engine
import Foundation
import XCTest
@testable import Suite
import TestSupport

final class RunStoreTests: XCTestCase {
    func counterExperiment(_ counter: Counter, runs: [RunConfig]) -> Experiment {
        Experiment(id: "count", title: "counts executions", runs: runs) { run, context in
            counter.increment()
            for step in 0..<3 { try context.log(step: step, ["value": Double(run.seed * 10 + step)]) }
        }
    }

    func runs(_ n: Int) -> [RunConfig] {
        (0..<n).map { RunConfig(paper: "p", experiment: "count", group: "g", seed: $0, parameters: ["x": 1]) }
    }

    /// A temporary folder `name` beside `run`'s, holding an empty checkpoint of run `key` written
    /// under OpenBLAS core `core` by this build, as an interrupted attempt leaves it.
    @discardableResult
    func leaveCheckpoint(_ name: String, for run: RunConfig, in store: RunStore, key: String? = nil, core: String = BLAS.library.core) throws -> URL {
        let url = store.directory(for: run).deletingLastPathComponent().appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let header = CheckpointFile.Header(key: key ?? run.key, engineVersion: SuiteInfo.version, gitCommit: RunEnvironment.gitCommit,
                                           blasCore: core, metricsBytes: 0, rowCount: 0, columns: [], final: [:], measurements: [:], elapsedSeconds: 0,
                                           numbers: [:], blobs: [:], digest: "")
        try CheckpointFile(header: header, checkpoint: Checkpoint()).encoded().write(to: url.appendingPathComponent("checkpoint.bin"))
        return url
    }

    func testFinishedRunsAreReusedAndForceRecomputes() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let w = sandbox.workspace([])
        let counter = Counter()
        let e = counterExperiment(counter, runs: runs(3))
        XCTAssertEqual(sandbox.runner(w).run([e], paper: "p").executed, 3)
        let again = sandbox.runner(w).run([e], paper: "p")
        XCTAssertEqual(again.executed, 0)
        XCTAssertEqual(again.reused, 3)
        XCTAssertEqual(counter.value, 3)
        XCTAssertEqual(sandbox.runner(w, force: true).run([e], paper: "p").executed, 3)
        XCTAssertEqual(counter.value, 6)
        let metrics = try w.store.metrics(e.runs[2])
        XCTAssertEqual(metrics.columns, ["step", "value"])
        XCTAssertEqual(metrics.column("value"), [20, 21, 22])
        let summary = try XCTUnwrap(w.store.summary(e.runs[2]))
        XCTAssertEqual(summary.final["value"], 22)
        XCTAssertFalse(summary.diverged)
        XCTAssertEqual(summary.resultFormatVersion, SuiteInfo.resultFormatVersion)
    }

    func testInterruptedRunIsNotFinishedAndIsCleanedUp() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let w = sandbox.workspace([])
        let run = runs(1)[0]
        // What a killed process leaves: a temporary folder with a partial metrics file, owned by a dead pid.
        let final = w.store.directory(for: run)
        let leftover = final.deletingLastPathComponent().appendingPathComponent(".tmp-\(run.key)-\(RunStore.host)-999999")
        try FileManager.default.createDirectory(at: leftover, withIntermediateDirectories: true)
        try Data("step,value\n0,1\n".utf8).write(to: leftover.appendingPathComponent("metrics.csv"))
        XCTAssertFalse(w.store.isFinished(run))
        XCTAssertNil(try w.store.summary(run))
        XCTAssertEqual(w.store.removeAbandonedTemporaries(paper: "p"), 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: leftover.path))
    }

    /// A checkpoint released by a writer that stopped (on any host: a requeued Slurm task runs on
    /// another node) is continued by the next attempt; one of a writer still at work is not.
    func testACheckpointIsAdoptedOnlyFromAWriterThatIsGone() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let store = sandbox.workspace([]).store
        let run = runs(1)[0]
        let folder = store.directory(for: run).deletingLastPathComponent()
        func leave(_ name: String, key: String? = nil, core: String = BLAS.library.core) throws {
            try leaveCheckpoint(name, for: run, in: store, key: key, core: core)
        }
        try leave(".tmp-\(run.key)-\(RunStore.host)-\(getpid())-A")
        let target = folder.appendingPathComponent(".tmp-\(run.key)-\(RunStore.host)-\(getpid())-B")
        XCTAssertFalse(store.adoptInterruptedRun(run, as: target), "this process is still writing it")
        try leave(".tmp-\(run.key)-othernode-stopped-D", key: "0000000000000000")
        XCTAssertFalse(store.adoptInterruptedRun(run, as: target), "a checkpoint of another run is not continued")
        try Data("junk".utf8).write(to: folder.appendingPathComponent(".tmp-\(run.key)-othernode-stopped-D/checkpoint.bin"))
        XCTAssertFalse(store.adoptInterruptedRun(run, as: target), "nor a damaged one")
        try leave(".tmp-\(run.key)-othernode-stopped-E", core: BLAS.library.core == "Haswell" ? "SkylakeX" : "Haswell")
        XCTAssertFalse(store.adoptInterruptedRun(run, as: target), "nor one computed under another OpenBLAS core")
        try FileManager.default.removeItem(at: folder.appendingPathComponent(".tmp-\(run.key)-othernode-stopped-E"))
        try leave(".tmp-\(run.key)-othernode-stopped-C")
        XCTAssertTrue(store.adoptInterruptedRun(run, as: target))
        XCTAssertTrue(FileManager.default.fileExists(atPath: target.appendingPathComponent("checkpoint.bin").path))
        XCTAssertEqual(store.removeAbandonedTemporaries(paper: "p"), 0, "checkpoints are kept for the next attempt")
    }

    /// A writer on another host is gone once its heartbeat is older than the timeout, not a day
    /// later; a running run's heartbeat is touched while it computes and is not part of the run.
    func testAnotherHostsWriterIsGoneWhenItsHeartbeatStops() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let store = sandbox.workspace([]).store
        let run = runs(1)[0]
        let folder = store.directory(for: run).deletingLastPathComponent()
        let left = try leaveCheckpoint(".tmp-\(run.key)-othernode-4242-A", for: run, in: store)
        let beat = left.appendingPathComponent("heartbeat")
        try Data().write(to: beat)
        let target = folder.appendingPathComponent(".tmp-\(run.key)-\(RunStore.host)-\(getpid())-B")
        XCTAssertFalse(store.adoptInterruptedRun(run, as: target), "its writer beat just now")
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-RunStore.heartbeatTimeout - 60)], ofItemAtPath: beat.path)
        XCTAssertTrue(store.adoptInterruptedRun(run, as: target), "its heartbeat stopped 11 minutes ago")

        let beats = Experiment(id: "count", title: "t", runs: runs(2).suffix(1)) { _, context in
            let file = context.artifacts.appendingPathComponent("heartbeat")
            let first = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date)
            Thread.sleep(forTimeInterval: 0.3)
            let later = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date)
            try context.log(step: 1, ["touched": later > first ? 1 : 0])
        }
        var runner = Runner(store: store, jobs: 1, interactive: false, write: { _ in })
        runner.heartbeatInterval = 0.05
        XCTAssertEqual(runner.run([beats], paper: "p").failures, [])
        XCTAssertEqual(try store.summary(beats.runs[0])?.final["touched"], 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.directory(for: beats.runs[0]).appendingPathComponent("heartbeat").path))
    }

    /// A checkpoint left for a run whose code no longer checkpoints is not continued: the run
    /// starts over, and its metrics hold its own rows only.
    func testACheckpointTheRunDoesNotAskForIsDiscarded() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let store = sandbox.workspace([]).store
        let runs = runs(1)
        let checkpointing = Experiment(id: "count", title: "t", runs: runs) { _, context in
            let first = Int(context.resume()?.numbers["epoch"] ?? 0)
            for epoch in (first + 1)...3 {
                try context.log(step: epoch, ["value": Double(epoch)])
                var state = Checkpoint()
                state.numbers["epoch"] = Double(epoch)
                try context.checkpoint(state)
            }
        }
        var stopping = Runner(store: store, jobs: 1, interactive: false, write: { _ in })
        (stopping.checkpointInterval, stopping.stop) = (0, StopRequest(afterCheckpoints: 2))
        XCTAssertEqual(stopping.run([checkpointing], paper: "p").saved.count, 1)
        let plain = Experiment(id: "count", title: "t", runs: runs) { _, context in
            for step in 1...3 { try context.log(step: step, ["value": Double(10 * step)]) }
        }
        XCTAssertEqual(Runner(store: store, jobs: 1, interactive: false, write: { _ in }).run([plain], paper: "p").executed, 1)
        XCTAssertEqual(try store.metrics(runs[0]).rows, [[1, 10], [2, 20], [3, 30]])
    }

    /// Any changed byte, in a blob or in the header's numbers, and any cut make a checkpoint unusable, never a crash.
    func testADamagedCheckpointIsNeverRead() throws {
        var state = Checkpoint()
        state.numbers["epoch"] = 12
        state.set("parameters", Tensor(shape: [3], [1, 2, 3]))
        let header = CheckpointFile.Header(key: "k", engineVersion: SuiteInfo.version, gitCommit: nil, metricsBytes: 10, rowCount: 2,
                                           columns: ["loss"], final: [:], measurements: [:], elapsedSeconds: 1, numbers: [:], blobs: [:], digest: "")
        let bytes = try CheckpointFile(header: header, checkpoint: state).encoded()
        XCTAssertEqual(CheckpointFile.decode(bytes)?.checkpoint.numbers, ["epoch": 12])
        let text = String(decoding: bytes, as: UTF8.self)
        XCTAssertTrue(text.contains("\"epoch\":12"))
        XCTAssertNil(CheckpointFile.decode(Data(text.replacingOccurrences(of: "\"epoch\":12", with: "\"epoch\":13").utf8)), "a loop scalar changed")
        var flipped = bytes
        flipped[flipped.count - 1] ^= 1
        XCTAssertNil(CheckpointFile.decode(flipped), "a parameter changed")
        for cut in [0, 10, 27, bytes.count / 2, bytes.count - 1] { XCTAssertNil(CheckpointFile.decode(bytes.prefix(cut)), "cut at \(cut)") }
        var huge = bytes
        huge.replaceSubrange((CheckpointFile.magic.count)..<(CheckpointFile.magic.count + 8), with: [UInt8](repeating: 0xff, count: 8))
        XCTAssertNil(CheckpointFile.decode(huge), "a header length past the file")
    }

    func testConcurrentWritersOfOneRunLeaveOneCompleteCopy() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let store = sandbox.workspace([]).store
        let meeting = Meeting(writers: 2)
        // Both writers compute every run at the same time, then publish it: what a resubmitted array
        // task and the still-running first one do.
        let experiment = Experiment(id: "e", title: "t", runs: runs(3)) { run, context in
            meeting.arrive(run.key)
            try context.log(step: 1, ["value": Double(run.seed)])
        }
        var reports = [Runner.Report](repeating: .init(), count: 2)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            let report = Runner(store: store, jobs: 1, interactive: false, write: { _ in }).run([experiment], paper: "p")
            lock.withLock { reports[i] = report }
        }
        XCTAssertEqual(reports.map(\.failures), [[], []])
        XCTAssertEqual(reports.map(\.executed), [3, 3], "both computed every run")
        for run in experiment.runs {
            XCTAssertEqual(try store.summary(run)?.final["value"], Double(run.seed))
            XCTAssertEqual(try store.metrics(run).rows, [[1, Double(run.seed)]])
        }
        let folder = store.directory(for: experiment.runs[0]).deletingLastPathComponent()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), experiment.runs.map(\.key).sorted(),
                       "one folder per run, no temporary left")
    }

    func testAFailingRunLeavesNothingBehind() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let w = sandbox.workspace([])
        struct Boom: Error {}
        let e = Experiment(id: "count", title: "fails", runs: runs(1)) { _, context in
            try context.log(step: 0, ["value": 1])
            throw Boom()
        }
        let report = sandbox.runner(w).run([e], paper: "p")
        XCTAssertEqual(report.failures.count, 1)
        XCTAssertFalse(w.store.isFinished(e.runs[0]))
        let dir = w.store.directory(for: e.runs[0]).deletingLastPathComponent()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [])
    }

    func testNaNStopsTheRunAndIsRecordedAsDivergence() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let w = sandbox.workspace([])
        let counter = Counter()
        let e = Experiment(id: "count", title: "diverges", runs: runs(2)) { run, context in
            for step in 0..<10 {
                counter.increment()
                try context.log(step: step, ["loss": run.seed == 1 && step == 3 ? .nan : 1.0 / Double(step + 1)])
            }
        }
        let report = sandbox.runner(w, jobs: 1).run([e], paper: "p")
        XCTAssertEqual(report.diverged, 1)
        XCTAssertEqual(counter.value, 10 + 4, "the diverging run stops at its NaN")
        let summary = try XCTUnwrap(w.store.summary(e.runs[1]))
        XCTAssertTrue(summary.diverged)
        XCTAssertEqual(summary.metric("loss"), .infinity)
        let results = ResultSet(paper: "p", scale: .quick, experiments: [e], store: w.store)
        let bands = try results.quantilesAlongRun("count", group: "g", metric: "loss", probabilities: [0, 1])
        XCTAssertEqual(bands.count, 10)
        XCTAssertEqual(bands[2].quantiles, [1.0 / 3, 1.0 / 3])
        XCTAssertEqual(bands[3].quantiles[1], .infinity, "from its divergence on, the run counts as +∞")
        XCTAssertEqual(bands[3].quantiles[0], 0.25)
    }

    func testShardsPartitionTheSweep() throws {
        let all = runs(23)
        let parts = (1...4).map { Shard(index: $0, count: 4).select(all) }
        XCTAssertEqual(parts.map(\.count).reduce(0, +), 23)
        XCTAssertEqual(Set(parts.flatMap { $0.map(\.key) }), Set(all.map(\.key)))
        XCTAssertEqual(Set(parts[0].map(\.key)).intersection(parts[1].map(\.key)), [])
        XCTAssertEqual(Shard(index: 2, count: 4).select(all.reversed()).map(\.key), parts[1].map(\.key), "order-independent")
        XCTAssertThrowsError(try Shard(parsing: "5/4"))
        XCTAssertEqual(try Shard(parsing: "2/4"), Shard(index: 2, count: 4))
    }

    func testRunKeyDependsOnSettingsAndSeedOnly() {
        let a = RunConfig(paper: "p", experiment: "e", group: "g", seed: 0, parameters: ["lr": 0.1, "method": "sgd"])
        let b = RunConfig(paper: "p", experiment: "e", group: "g", seed: 0, parameters: ["method": "sgd", "lr": 0.1])
        XCTAssertEqual(a.key, b.key, "canonical JSON sorts keys")
        XCTAssertEqual(a.key.count, 16)
        XCTAssertNotEqual(a.key, RunConfig(paper: "p", experiment: "e", group: "g", seed: 1, parameters: a.parameters).key)
        XCTAssertNotEqual(a.key, RunConfig(paper: "p", experiment: "e", group: "g", seed: 0, parameters: ["lr": 0.2, "method": "sgd"]).key)
        XCTAssertTrue(String(decoding: a.canonicalJSON(), as: UTF8.self).contains("\"resultFormatVersion\":\(SuiteInfo.resultFormatVersion)"))
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}

/// Holds each caller of `arrive(key)` until `writers` callers have arrived with that key (or 10 s
/// passed), so concurrent writers of a run really overlap.
final class Meeting: @unchecked Sendable {
    private let condition = NSCondition()
    private var arrived: [String: Int] = [:]
    private let writers: Int

    init(writers: Int) { self.writers = writers }

    func arrive(_ key: String) {
        condition.lock()
        defer { condition.unlock() }
        arrived[key, default: 0] += 1
        condition.broadcast()
        let deadline = Date().addingTimeInterval(10)
        while arrived[key, default: 0] < writers, condition.wait(until: deadline) {}
    }
}
