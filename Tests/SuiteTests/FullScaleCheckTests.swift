import Demo
import Engine
import Foundation
import XCTest
@testable import Suite
import TestSupport

/// `repro baseline --scale full` and `repro check --scale full` on the demo's full sweep (10 runs of
/// 400 steps, milliseconds each): the small full-scale store the README's promise rests on.
final class FullScaleCheckTests: XCTestCase {
    func recordFullBaseline(_ sandbox: Sandbox) throws -> (Workspace, any Reproduction, URL) {
        let workspace = sandbox.workspace()
        let paper = try workspace.reproduction("demo-least-squares")
        let experiments = try workspace.experiments(paper, scale: .full)
        _ = try workspace.run(paper, experiments: experiments, runner: sandbox.runner(workspace))
        let (core, record) = try BaselineKernels.kernel(of: experiments, in: workspace.store)
        _ = try workspace.baseline(paper, scale: .full, kernelStores: [core: workspace.store], records: [core: record])
        return (workspace, paper, workspace.baselineURL(paper, scale: .full))
    }

    func testFullScaleBaselineIsItsOwnFileAndAFullCheckPassesOnItsRuns() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let (workspace, paper, url) = try recordFullBaseline(sandbox)
        XCTAssertEqual(url.lastPathComponent, "baselines-full.json")
        XCTAssertFalse(FileManager.default.fileExists(atPath: workspace.baselineURL(paper).path), "the quick baseline is not touched")
        let file = try XCTUnwrap(BaselineFile.read(from: url))
        XCTAssertEqual(file.scale, .full)
        XCTAssertEqual(file.groups["fit/method=sgd"]?.seeds, [0, 1, 2, 3, 4])

        let report = try workspace.check([paper], runner: sandbox.runner(workspace), scale: .full)
        XCTAssertTrue(report.passed, report.table())
        XCTAssertEqual(report.missing, 0)
        XCTAssertTrue(report.table().contains("claim sgd-wins"), "the claims are evaluated at full scale")
    }

    func testFullCheckCatchesAShiftedMetric() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let (workspace, paper, url) = try recordFullBaseline(sandbox)
        let baseline = try XCTUnwrap(BaselineFile.read(from: url))
        let s = try XCTUnwrap(baseline.statistics("fit/method=adam", "loss"))
        let tolerance = Tolerance.of(s, items: baseline.kernelSensitiveItems, seedsNow: 5, sameSeeds: true)
        XCTAssertGreaterThan(tolerance, 1e-3 * abs(s.center), "one kernel: the seeds' spread stands in for a kernel never seen")
        try baseline.shifted("fit/method=adam", "loss", by: 1.5 * tolerance).write(to: url)

        let report = try workspace.check([paper], runner: sandbox.runner(workspace), scale: .full)
        XCTAssertFalse(report.passed)
        XCTAssertEqual(report.rows.filter { !$0.passed }.map(\.item), ["fit/method=adam loss"])
    }

    func testMissingFullScaleRunsAreListedNotComputedNotFailed() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let (workspace, paper, _) = try recordFullBaseline(sandbox)
        let run = try workspace.experiments(paper, scale: .full)[0].runs.first { $0.group == "method=sgd" && $0.seed == 3 }!
        try FileManager.default.removeItem(at: workspace.store.directory(for: run))

        let report = try workspace.check([paper], runner: sandbox.runner(workspace), scale: .full)
        XCTAssertTrue(report.passed, report.table())
        XCTAssertFalse(workspace.store.isFinished(run), "check at full scale computes nothing")
        let missing = report.rows.filter(\.missing)
        XCTAssertEqual(missing.map(\.item), ["fit/method=sgd", "claim adam-fits [demo]", "claim sgd-wins [demo]"])
        XCTAssertEqual(missing[0].now, "1 not in the store")
        XCTAssertTrue(report.table().contains("missing"), report.table())
        XCTAssertFalse(report.rows.contains { $0.item == "fit/method=adam loss" && !$0.passed }, "the complete group is still compared")
    }

    func testOneSeedGroupsOfAOneKernelBaselineBorrowTheExperimentsPooledSpread() {
        let one = MetricStatistics(values: ["Zen": [2.0]], distinct: ["Zen"])
        let pooled = BaselineFile.pooledSeedSpread(in: [
            "e/a": ["loss": MetricStatistics(values: ["Zen": [0.9, 1.1, 1.0]], distinct: ["Zen"])],
            "e/b": ["loss": MetricStatistics(values: ["Zen": [1.8, 2.2, 2.0]], distinct: ["Zen"])],
        ])
        // Both groups have s/|center| = 0.1 with 2 degrees of freedom each.
        XCTAssertEqual(pooled["e loss"]?.relative ?? 0, 0.1, accuracy: 1e-12)
        XCTAssertEqual(pooled["e loss"]?.degrees, 4)
        let borrowed = Tolerance.of(one, items: 1, seedsNow: 1, sameSeeds: true, pooled: pooled["e loss"])
        let t = StudentT.quantile(0.995, degreesOfFreedom: 4)
        XCTAssertEqual(borrowed, t * 0.2 * 2.0.squareRoot(), accuracy: 1e-9)
        XCTAssertEqual(Tolerance.of(one, items: 1, seedsNow: 1, sameSeeds: true), 2e-3, accuracy: 1e-15, "nothing to borrow: the floor")
    }
}
