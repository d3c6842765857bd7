import Foundation
import InputFuzzing
import XCTest
@testable import Suite
import TestSupport

/// Damaged files of the run store and a damaged `baselines.json`, read by what reads them: `check`
/// (summaries and the baseline) and the figures and tables (metrics). Every case must end in a
/// report or in an error that names the damaged file, never in a trap.
final class StoreFuzzTests: XCTestCase {
    static let cases = FuzzCampaign.iterations(quick: 120)

    /// Read as the figures, tables and claims read summaries. (`check` at quick scale no longer
    /// reaches a damaged summary: its runner moves the folder into quarantine and recomputes it.)
    func testDamagedSummaryIsReportedNeverTraps() throws {
        try fuzz("summary.json", seed: 101) { workspace, paper, _ in
            let results = ResultSet(paper: paper.id, scale: .quick, experiments: try workspace.experiments(paper, scale: .quick),
                                    store: workspace.store)
            for experiment in results.experiments {
                for group in try results.groups(experiment.id) { _ = try results.summaries(experiment.id, group: group) }
            }
        }
    }

    func testDamagedMetricsAreReportedNeverTrap() throws {
        try fuzz("metrics.csv", seed: 202) { workspace, paper, _ in
            let results = ResultSet(paper: paper.id, scale: .quick, experiments: try workspace.experiments(paper, scale: .quick),
                                    store: workspace.store)
            for figure in paper.figures { _ = try figure.build(results) }
            for table in paper.tables { _ = try table.build(results) }
        }
    }

    func testDamagedBaselineIsReportedNeverTraps() throws {
        try fuzz("baselines.json", seed: 303) { workspace, paper, sandbox in
            _ = try workspace.check([paper], runner: sandbox.runner(workspace)).table()
        }
    }

    /// Computes the demo's quick runs and baseline once, then damages `name` (the baseline, or that
    /// file of the first run) `cases` times, each case a fresh mutation of the original, which is
    /// restored at the end.
    func fuzz(_ name: String, seed: UInt64, _ read: (Workspace, any Reproduction, Sandbox) throws -> Void) throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let workspace = sandbox.workspace()
        let paper = try workspace.reproduction("demo-least-squares")
        let baseline = try workspace.baseline(paper, runner: sandbox.runner(workspace))
        let firstRun = try XCTUnwrap(try workspace.experiments(paper, scale: .quick).first?.runs.first)
        let file = name == "baselines.json" ? baseline : workspace.store.directory(for: firstRun).appendingPathComponent(name)
        let original = Array(try Data(contentsOf: file))

        var campaign = FuzzCampaign("demo \(name)")
        try campaign.damage(original, kinds: Mutator.Kind.textual, seed: seed, cases: Self.cases, into: file, mustName: [file.path],
                            masking: sandbox.root) { _ in try read(workspace, paper, sandbox) }
        try Data(original).write(to: file)
        print(campaign.summary)
        XCTAssertEqual(campaign.vagueMessages, [])
        XCTAssertGreaterThan(campaign.cases - campaign.accepted, 0, "the damage must reach the reader")
        XCTAssertNoThrow(try read(workspace, paper, sandbox), "the restored file reads again")
    }
}
