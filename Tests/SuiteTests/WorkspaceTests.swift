import Foundation
import Suite
import TestSupport
import XCTest

final class WorkspaceTests: XCTestCase {
    /// `repro run --seeds N` rebuilds each experiment; a self-timing experiment that lost its
    /// `exclusive` mark ran beside other runs and timed their load instead of itself.
    func testWithSeedsKeepsEverythingButTheSeeds() {
        let runs = ["a", "b"].flatMap { group in
            (0..<2).map { RunConfig(paper: "p", experiment: "timing", group: group, seed: $0, parameters: ["n": .int(3)]) }
        }
        let experiment = Experiment(id: "timing", title: "t", runs: runs, after: ["upstream"], analysis: ["level": .double(0.95)],
                                    exclusive: true, exactMetrics: ["parameters"], execute: { _, _ in })
        let reseeded = experiment.withSeeds(3)
        XCTAssertEqual(reseeded.runs.map(\.group), ["a", "a", "a", "b", "b", "b"])
        XCTAssertEqual(reseeded.runs.map(\.seed), [0, 1, 2, 0, 1, 2])
        XCTAssertEqual(Set(reseeded.runs.map(\.parameters)), [["n": .int(3)]])
        XCTAssertTrue(reseeded.exclusive)
        XCTAssertEqual(reseeded.exactMetrics, ["parameters"])
        XCTAssertEqual(reseeded.after, ["upstream"])
        XCTAssertEqual(reseeded.analysis, ["level": .double(0.95)])
    }

    func testAHugeSeedCountIsRefusedBeforeTheRunsAreBuilt() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        var workspace = sandbox.workspace()
        let paper = try workspace.reproduction("demo-least-squares")
        XCTAssertThrowsError(try workspace.experiments(paper, scale: .quick, seeds: 100_000_000)) {
            XCTAssertTrue("\($0)".contains("--seeds must be 1…10000"), "\($0)")
        }
        workspace.maxRuns = 100
        XCTAssertThrowsError(try workspace.experiments(paper, scale: .quick, seeds: 1000)) {
            XCTAssertTrue("\($0)".contains("2 run group(s) × 1000 seeds make 2000 runs") && "\($0)".contains("--max-runs"), "\($0)")
        }
        XCTAssertEqual(try workspace.experiments(paper, scale: .quick, seeds: 50).flatMap(\.runs).count, 100)
    }

    /// A suggested command works where the user works: with the folders they gave.
    func testSuggestedCommandsCarryTheUsersFolders() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let messages = Messages()
        var workspace = Workspace(catalog: sandbox.workspace().catalog, root: sandbox.root, log: messages.append)
        workspace.commandOptions = " --results /shared/store --plots /shared/plots"
        let paper = try workspace.reproduction("demo-least-squares")
        _ = try workspace.figures(paper, scale: .full, runner: sandbox.runner(workspace), computeMissing: false)
        XCTAssertTrue(messages.text.contains("`repro run demo-least-squares --scale full --results /shared/store --plots /shared/plots`"), messages.text)

        let results = try workspace.results(paper, scale: .full, experiments: try workspace.experiments(paper, scale: .full))
        XCTAssertThrowsError(try results.summaries("fit", group: try results.groups("fit")[0])) {
            XCTAssertTrue("\($0)".contains("--scale full --results /shared/store --plots /shared/plots` computes it"), "\($0)")
        }
        var report = CheckReport()
        try report.compare(results, with: nil, claims: [])
        XCTAssertTrue(report.rows.contains { $0.tolerance.contains("--results /shared/store") }, report.table())
    }
}

