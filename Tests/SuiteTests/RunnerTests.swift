import Engine
import Foundation
import XCTest
@testable import Suite

final class RunnerTests: XCTestCase {
    func testAnExperimentRunsOnlyAfterTheExperimentsItReads() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("runner-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let first = RunConfig(paper: "p", experiment: "first", group: "g", seed: 0, parameters: [:])
        let upstream = Experiment(id: "first", title: "t", runs: [first]) { _, context in
            Thread.sleep(forTimeInterval: 0.2)
            try Data("42".utf8).write(to: context.artifacts.appendingPathComponent("answer"))
            try context.log(step: 1, ["x": 1])
        }
        let downstream = Experiment(id: "second", title: "t", runs: (0..<3).map {
            RunConfig(paper: "p", experiment: "second", group: "g", seed: $0, parameters: [:])
        }, after: ["first"]) { _, context in
            let answer = try String(contentsOf: context.artifacts(of: first).appendingPathComponent("answer"), encoding: .utf8)
            try context.log(step: 1, ["answer": Double(answer)!])
        }
        let store = RunStore(root: root)
        // Listed first and with two jobs, the downstream runs would otherwise start at once.
        let report = Runner(store: store, jobs: 2, interactive: false, write: { _ in }).run([downstream, upstream], paper: "p")
        XCTAssertTrue(report.failures.isEmpty, "\(report.failures)")
        XCTAssertEqual(try store.summary(downstream.runs[2])?.final["answer"], 42)
    }

    func testAMissingUpstreamRunIsAnErrorNamingIt() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("runner-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let absent = RunConfig(paper: "p", experiment: "first", group: "g", seed: 0, parameters: [:])
        let downstream = Experiment(id: "second", title: "t", runs: [RunConfig(paper: "p", experiment: "second", group: "g", seed: 0, parameters: [:])]) { _, context in
            _ = try context.artifacts(of: absent)
        }
        let report = Runner(store: RunStore(root: root), jobs: 1, interactive: false, write: { _ in }).run([downstream], paper: "p")
        XCTAssertEqual(report.failures.count, 1)
        XCTAssertTrue(report.failures[0].contains("run experiment first first"), report.failures[0])
    }

    func testExclusiveRunsRunAloneWithEveryCore() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("runner-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        final class Occupancy: @unchecked Sendable {
            let lock = NSLock()
            var active = 0, overlapDuringExclusive = false
            func enter(exclusive: Bool) { lock.lock(); active += 1; if exclusive && active > 1 { overlapDuringExclusive = true }; lock.unlock() }
            func leave(exclusive: Bool) { lock.lock(); if exclusive && active > 1 { overlapDuringExclusive = true }; active -= 1; lock.unlock() }
        }
        let occupancy = Occupancy()
        func body(exclusive: Bool) -> @Sendable (RunConfig, RunContext) throws -> Void {
            { _, context in
                occupancy.enter(exclusive: exclusive)
                Thread.sleep(forTimeInterval: 0.05)
                occupancy.leave(exclusive: exclusive)
                try context.log(step: 1, ["threads": Double(BLAS.threads)])
            }
        }
        func runs(_ experiment: String) -> [RunConfig] {
            (0..<4).map { RunConfig(paper: "p", experiment: experiment, group: "g", seed: $0, parameters: [:]) }
        }
        // Listed first, the timed runs would otherwise share the machine with the others.
        let timed = Experiment(id: "timed", title: "t", runs: runs("timed"), exclusive: true, execute: body(exclusive: true))
        let other = Experiment(id: "other", title: "t", runs: runs("other"), execute: body(exclusive: false))
        let store = RunStore(root: root)
        let report = Runner(store: store, jobs: 2, interactive: false, write: { _ in }).run([timed, other], paper: "p")
        XCTAssertTrue(report.failures.isEmpty, "\(report.failures)")
        XCTAssertFalse(occupancy.overlapDuringExclusive, "an exclusive run shared the machine")
        let cores = ProcessInfo.processInfo.activeProcessorCount
        for run in timed.runs { XCTAssertEqual(try store.summary(run)?.final["threads"], Double(cores)) }
        for run in other.runs { XCTAssertEqual(try store.summary(run)?.final["threads"], Double(max(1, cores / 2))) }
    }
}
