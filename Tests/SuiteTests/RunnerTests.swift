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
}
