import Demo
import Engine
import Figures
import Foundation
import XCTest
@testable import Suite
import TestSupport

final class EndToEndTests: XCTestCase {
    func testRunDrawBaselineCheckThenCatchAPerturbedBaseline() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let workspace = sandbox.workspace()
        let paper = try workspace.reproduction("demo-least-squares")

        let report = try workspace.run(paper, experiments: try workspace.experiments(paper, scale: .quick), runner: sandbox.runner(workspace))
        XCTAssertEqual(report.executed, 10)

        if GnuplotRenderer().locate() != nil {
            let files = try workspace.figures(paper, scale: .quick, runner: sandbox.runner(workspace))
            XCTAssertEqual(files.map(\.lastPathComponent).sorted(), ["claims.csv", "claims.json", "claims.md", "final-loss.csv", "final-loss.md", "loss.png", "loss.svg"])
            // Quick figures go under plots/quick/, never where the committed full-scale ones live.
            XCTAssertTrue(files.allSatisfy { $0.path.hasPrefix(workspace.plotsRoot.appendingPathComponent("quick/demo-least-squares").path) })
            XCTAssertFalse(FileManager.default.fileExists(atPath: workspace.plotsRoot.appendingPathComponent("demo-least-squares").path))
            let table = try String(contentsOf: workspace.plotsRoot.appendingPathComponent("quick/demo-least-squares/final-loss.csv"), encoding: .utf8)
            XCTAssertTrue(table.hasPrefix("group,runs,diverged,mean,q0.5,q0.9\nmethod=sgd,5,0,"), table)
            XCTAssertTrue(FileManager.default.fileExists(atPath: workspace.plotsRoot.appendingPathComponent("quick/demo-least-squares/loss.gp").path))
        } else {
            print("EndToEndTests: gnuplot not installed, figure rendering skipped (scripts/setup installs it)")
        }

        let baselineURL = try workspace.baseline(paper, runner: sandbox.runner(workspace))
        let stored = try XCTUnwrap(BaselineFile.read(from: baselineURL))
        XCTAssertEqual(Set(stored.groups.keys), ["fit/method=sgd", "fit/method=adam"])
        XCTAssertEqual(stored.groups["fit/method=adam"]?.seeds, [0, 1, 2, 3, 4])
        XCTAssertEqual(Array(stored.kernels.keys), [BLASLibrary.shared.core], "an in-process baseline records this process's kernel")

        let passing = try workspace.check([paper], runner: sandbox.runner(workspace, force: true))
        XCTAssertTrue(passing.passed, passing.table())
        XCTAssertTrue(passing.table().contains("claim adam-fits"))

        // A baseline moved by half its tolerance still passes; moved by twice the tolerance it fails.
        let tolerance = Tolerance.of(try XCTUnwrap(stored.statistics("fit/method=sgd", "loss")), items: stored.kernelSensitiveItems, seedsNow: 2, sameSeeds: true)
        try stored.shifted("fit/method=sgd", "loss", by: tolerance / 2).write(to: baselineURL)
        XCTAssertTrue(try workspace.check([paper], runner: sandbox.runner(workspace)).passed)
        try stored.shifted("fit/method=sgd", "loss", by: 2 * tolerance).write(to: baselineURL)
        let failing = try workspace.check([paper], runner: sandbox.runner(workspace))
        XCTAssertFalse(failing.passed)
        XCTAssertEqual(failing.failures, 1, failing.table())
        XCTAssertTrue(failing.table().contains("FAIL"))
    }

    /// The demo paper's quick runs, computed in `sandbox`.
    func quickResults(_ sandbox: Sandbox) throws -> ResultSet {
        let workspace = sandbox.workspace()
        let paper = try workspace.reproduction("demo-least-squares")
        let experiments = try workspace.experiments(paper, scale: .quick)
        _ = try workspace.run(paper, experiments: experiments, runner: sandbox.runner(workspace))
        return ResultSet(paper: paper.id, scale: .quick, experiments: experiments, store: workspace.store)
    }

    func testKnownDeviationPassesWhileItFailsAndIsFlaggedOnceItHolds() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let results = try quickResults(sandbox)
        func claim(holds: Bool) -> Claim {
            Claim(id: "c", source: "demo", statement: "s", experiments: [], knownDeviation: "too few seeds here") { _ in .decided(holds) }
        }
        var stillFailing = CheckReport()
        try stillFailing.compare(results, with: nil, claims: [claim(holds: false)])
        XCTAssertEqual(stillFailing.failures, 1, "only the missing baseline fails")
        XCTAssertTrue(stillFailing.table().contains("known deviation, does not reproduce: too few seeds here"))
        var nowHolding = CheckReport()
        try nowHolding.compare(results, with: nil, claims: [claim(holds: true)])
        XCTAssertEqual(nowHolding.failures, 2)
        XCTAssertTrue(nowHolding.table().contains("now holds"))
    }

    func testAQuickScaleDeviationAppliesToTheQuickScaleOnly() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let quick = try quickResults(sandbox)
        // The same runs, read as if they were the full scale's.
        let full = ResultSet(paper: quick.paper, scale: .full, experiments: quick.experiments, store: quick.store)
        let claim = Claim(id: "c", source: "demo", statement: "s", experiments: [], scaleDeviations: [.quick: "the quick sweep is too small"]) { _ in
            .decided(false)
        }
        var atQuick = CheckReport(), atFull = CheckReport()
        try atQuick.compare(quick, with: nil, claims: [claim])
        try atFull.compare(full, with: nil, claims: [claim])
        XCTAssertEqual(atQuick.failures, 1, "only the missing baseline fails")
        XCTAssertEqual(atFull.failures, 2, "at full scale the claim must hold")
        func verdictColumn(_ results: ResultSet) throws -> String {
            let folder = sandbox.root.appendingPathComponent("claims-\(results.scale.rawValue)")
            let files = try ClaimsFile(paper: "p", scale: results.scale, claims: [ClaimResult.evaluate(claim, on: results)])
                .write(into: folder, claims: [claim])
            return try ResultTable.read(csv: files[1]).rows[0][3]
        }
        XCTAssertEqual(try verdictColumn(quick), "does not hold (known deviation: the quick sweep is too small)")
        XCTAssertEqual(try verdictColumn(full), "does not hold")
    }

    func testQuickFiguresLeaveTheCommittedFullScaleFilesByteIdentical() throws {
        try XCTSkipIf(GnuplotRenderer().locate() == nil, "gnuplot not installed (scripts/setup installs it)")
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let workspace = sandbox.workspace()
        let paper = try workspace.reproduction("demo-least-squares")
        let committed = workspace.plotsDirectory(paper, scale: .full)
        try FileManager.default.createDirectory(at: committed, withIntermediateDirectories: true)
        let names = ["loss.png", "loss.svg", "loss.gp", "loss.csv", "final-loss.md", "final-loss.csv"]
        for name in names { try Data("committed \(name)".utf8).write(to: committed.appendingPathComponent(name)) }
        let written = try workspace.figures(paper, scale: .quick, runner: sandbox.runner(workspace))
        XCTAssertFalse(written.isEmpty)
        for name in names {
            XCTAssertEqual(try Data(contentsOf: committed.appendingPathComponent(name)), Data("committed \(name)".utf8), name)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: committed.path).sorted(), names.sorted())
    }

    func testFullScaleFiguresNeverComputeMissingRunsUnlessAsked() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let messages = Messages()
        let workspace = Workspace(catalog: [LeastSquaresDemo()], root: sandbox.root, log: { messages.append($0) })
        let paper = try workspace.reproduction("demo-least-squares")
        let written = try workspace.figures(paper, scale: .full, runner: sandbox.runner(workspace))
        XCTAssertEqual(written, [])
        let runs = try workspace.experiments(paper, scale: .full).flatMap(\.runs)
        XCTAssertFalse(runs.contains(where: workspace.store.isFinished), "no full-scale run was computed")
        XCTAssertTrue(messages.text.contains("\(runs.count) of \(runs.count) full-scale run(s) are not finished"), messages.text)
        XCTAssertTrue(messages.text.contains("repro run demo-least-squares --scale full"), messages.text)
        XCTAssertTrue(messages.text.contains("skipped"), messages.text)
    }

    func testRerunFindsStoredRunsBitIdenticalAndNamesATamperedValue() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let workspace = sandbox.workspace()
        let paper = try workspace.reproduction("demo-least-squares")
        _ = try workspace.baseline(paper, runner: sandbox.runner(workspace))

        let identical = try workspace.check([paper], runner: sandbox.runner(workspace), rerun: 3)
        XCTAssertEqual(identical.reruns.count, 3)
        XCTAssertTrue(identical.passed, identical.table())
        XCTAssertTrue(identical.table().contains("3 stored run(s) re-executed with every core; all bit-identical"), identical.table())

        // The sample spreads over the sorted runs: with all ten asked for, every run is re-executed.
        let sgd = try workspace.experiments(paper, scale: .quick)[0].runs.first { $0.group == "method=sgd" && $0.seed == 1 }!
        let file = workspace.store.directory(for: sgd).appendingPathComponent("metrics.csv")
        var lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map(String.init)
        var cells = lines[3].split(separator: ",").map(String.init)
        cells[1] = String(Double(cells[1])!.nextUp)
        lines[3] = cells.joined(separator: ",")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        // Sealed again, as if the run had stored this value: what a code change that moves results
        // leaves in the store. Unsealed, the store's digests catch the edit first (RunIntegrityTests).
        let folder = file.deletingLastPathComponent(), summaryURL = folder.appendingPathComponent("summary.json")
        let summary = try JSONDecoder().decode(RunSummary.self, from: Data(contentsOf: summaryURL))
        try RunIntegrity.sealed(summary, folder: folder).bytes.write(to: summaryURL)

        let tampered = try workspace.check([paper], runner: sandbox.runner(workspace), rerun: 10)
        XCTAssertFalse(tampered.passed)
        XCTAssertEqual(tampered.reruns.filter { $0.outcome.difference != nil }.map(\.outcome.label), ["fit/method=sgd seed 1"])
        XCTAssertTrue(tampered.table().contains("metrics.csv row 3, loss"), tampered.table())
    }

    func testCheckFailsWithoutABaseline() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let workspace = sandbox.workspace()
        let report = try workspace.check([try workspace.reproduction("demo-least-squares")], runner: sandbox.runner(workspace))
        XCTAssertFalse(report.passed)
        XCTAssertTrue(report.table().contains("missing"))
    }

    func testUnknownNamesListTheValidOnes() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let workspace = sandbox.workspace()
        XCTAssertThrowsError(try workspace.reproduction("nope")) { XCTAssertTrue("\($0)".contains("demo-least-squares")) }
        XCTAssertThrowsError(try workspace.experiments(try workspace.reproduction("demo-least-squares"), scale: .quick, only: ["fits"])) {
            XCTAssertTrue("\($0)".contains("its experiments: fit"), "\($0)")
        }
    }

    func testSeedOverrideExpandsEveryGroup() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let workspace = sandbox.workspace()
        let experiments = try workspace.experiments(try workspace.reproduction("demo-least-squares"), scale: .quick, seeds: 3)
        XCTAssertEqual(experiments[0].runs.map(\.seed), [0, 1, 2, 0, 1, 2])
    }
}

/// Log lines collected from a workspace (its log closure may be called from worker threads).
final class Messages: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return lines.joined(separator: "\n") }
}
