import Engine
import Foundation
import XCTest
@testable import Suite

final class MemoryBudgetTests: XCTestCase {
    func testLimitsParseInBinaryUnitsOrNone() throws {
        let cases: [(String, MemoryBudget.Setting)] = [
            ("16G", .perRun(16 << 30)), ("512M", .perRun(512 << 20)), ("2.5GiB", .perRun(5 << 29)), ("64kb", .perRun(64 << 10)),
            ("1000", .perRun(1000)), ("none", .unlimited), ("NONE", .unlimited),
        ]
        for (text, setting) in cases { XCTAssertEqual(try MemoryBudget.Setting(parsing: text), setting, text) }
        for bad in ["lots", "-1G", "0", "G", "1e30G", ""] {
            XCTAssertThrowsError(try MemoryBudget.Setting(parsing: bad), bad) { error in
                XCTAssertTrue("\(error)".contains("--memory-limit") && "\(error)".contains("16G"), "\(error)")
            }
        }
    }

    func testTheAvailableMemoryIsSharedByTheRunsInFlight() throws {
        guard let alone = MemoryBudget.Setting.available.budget(concurrentRuns: 1) else {
            throw XCTSkip("this system reports no available memory (no /proc/meminfo)")
        }
        let shared = try XCTUnwrap(MemoryBudget.Setting.available.budget(concurrentRuns: 2))
        // Memory moves between the two reads; half of it stays within a few percent of half.
        XCTAssertEqual(Double(shared.bytes), Double(alone.bytes) / 2, accuracy: Double(alone.bytes) * 0.05)
        XCTAssertTrue(shared.origin.contains("shared by 2 runs"), shared.origin)
        XCTAssertEqual(MemoryBudget.Setting.perRun(1 << 20).budget(concurrentRuns: 2)?.bytes, 1 << 20)
        XCTAssertNil(MemoryBudget.Setting.unlimited.budget(concurrentRuns: 1))
    }

    /// The least room of the process's cgroup and its ancestors: a job's limit above the step's
    /// group (v2), and a v1 hierarchy whose own group is unlimited.
    func testTheCgroupRoomIsTheLeastOfTheGroupAndItsAncestors() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("cgroup-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        func write(_ text: String, _ path: String) throws {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        try write("0::/job_7/step_batch\n", "self-v2")
        try write("1000000\n", "fs/job_7/memory.max")
        try write("250000\n", "fs/job_7/memory.current")
        try write("max\n", "fs/job_7/step_batch/memory.max")
        try write("10\n", "fs/job_7/step_batch/memory.current")
        let v2 = try XCTUnwrap(MemoryBudget.cgroupRoom(membership: root.appendingPathComponent("self-v2").path, mount: root.appendingPathComponent("fs").path))
        XCTAssertEqual(v2.0, 750000)
        XCTAssertTrue(v2.1.contains("limit 977 KiB"), v2.1)

        try write("5:cpu:/x\n4:memory:/x\n", "self-v1")
        try write("9223372036854771712\n", "fs/memory/x/memory.limit_in_bytes")
        XCTAssertNil(MemoryBudget.cgroupRoom(membership: root.appendingPathComponent("self-v1").path, mount: root.appendingPathComponent("fs").path),
                     "no group of the hierarchy sets a limit")
        try write("4000\n", "fs/memory/memory.limit_in_bytes")
        try write("1000\n", "fs/memory/memory.usage_in_bytes")
        XCTAssertEqual(MemoryBudget.cgroupRoom(membership: root.appendingPathComponent("self-v1").path, mount: root.appendingPathComponent("fs").path)?.0, 3000)
    }

    /// An experiment whose runs need 10 MiB: refused under a 1 MiB limit with the estimate, the
    /// limit and the way out in the failure, leaving nothing in the store; run under 100 MiB.
    func testARunEstimatedAboveItsLimitIsRefusedBeforeItsFirstStep() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("memory-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let run = RunConfig(paper: "p", experiment: "big", group: "g", seed: 0, parameters: [:])
        let experiment = Experiment(id: "big", title: "t", runs: [run]) { _, context in
            try context.admit(MemoryEstimate(parameterBytes: 2 << 20, optimizerBytes: 1 << 20, stepBytes: 7 << 20, batch: 64))
            try context.log(step: 1, ["x": 1])
        }
        let store = RunStore(root: root)
        var runner = Runner(store: store, jobs: 1, interactive: false, write: { _ in })
        runner.memory = .perRun(1 << 20)
        let refused = runner.run([experiment], paper: "p")
        XCTAssertEqual(refused.failures.count, 1)
        let message = refused.failures.first ?? ""
        for part in ["big/g seed 0", "needs about 10.0 MiB", "one step at batch 64 7.00 MiB", "1.00 MiB one run may take here (--memory-limit 1.00 MiB)",
                     "--jobs 1", "--memory-limit 10M"] {
            XCTAssertTrue(message.contains(part), "'\(part)' missing from: \(message)")
        }
        XCTAssertFalse(store.isFinished(run))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("p/big").path), [])

        runner.memory = .perRun(100 << 20)
        XCTAssertEqual(runner.run([experiment], paper: "p").executed, 1)
        runner.memory = .unlimited
        XCTAssertTrue(runner.run([experiment], paper: "p").failures.isEmpty)
    }

    /// A refused run that had continued from a checkpoint keeps it for an attempt with more memory.
    func testARefusedRunKeepsItsCheckpoint() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("memory-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let run = RunConfig(paper: "p", experiment: "count", group: "g", seed: 0, parameters: [:])
        let experiment = Experiment(id: "count", title: "t", runs: [run]) { _, context in
            let first = Int(context.resume()?.numbers["epoch"] ?? 0)
            try context.admit(MemoryEstimate(parameterBytes: 0, optimizerBytes: 0, stepBytes: 4 << 20, batch: 1))
            for epoch in (first + 1)...3 {
                try context.log(step: epoch, ["epoch": Double(epoch)])
                var state = Checkpoint()
                state.numbers["epoch"] = Double(epoch)
                try context.checkpoint(state)
            }
        }
        let store = RunStore(root: root)
        var stopping = Runner(store: store, jobs: 1, interactive: false, write: { _ in })
        (stopping.checkpointInterval, stopping.stop, stopping.memory) = (0, StopRequest(afterCheckpoints: 2), .unlimited)
        XCTAssertEqual(stopping.run([experiment], paper: "p").saved.count, 1)

        var small = Runner(store: store, jobs: 1, interactive: false, write: { _ in })
        small.memory = .perRun(1 << 20)
        let refused = small.run([experiment], paper: "p")
        XCTAssertEqual(refused.failures.count, 1)
        XCTAssertEqual(refused.resumed.count, 1)

        var large = small
        large.memory = .perRun(1 << 30)
        let finished = large.run([experiment], paper: "p")
        XCTAssertEqual(finished.resumed.count, 1, "the checkpoint survived the refusal")
        XCTAssertEqual(try store.metrics(run).rows, [[1, 1], [2, 2], [3, 3]])
    }
}
