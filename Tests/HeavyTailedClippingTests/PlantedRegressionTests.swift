import Foundation
import Suite
import XCTest
@testable import HeavyTailedClipping

/// `repro check` against the committed baseline, with regressions planted in the shipped sweep:
/// the tolerances that let other BLAS kernels pass must still catch a changed step size or
/// momentum coefficient. The `synthetic` experiment is the one cheap enough for every test run.
final class PlantedRegressionTests: XCTestCase {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let paperFolder = packageRoot.appendingPathComponent("reproductions/heavy-tailed-clipping")

    /// The committed config with `edit` applied, run in a sandbox and checked against the committed
    /// baseline: the rows of the `synthetic` experiment, by item.
    func checkSynthetic(_ edit: (String) -> String) throws -> [String: Bool] {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("planted-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("reproductions/heavy-tailed-clipping")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let config = try String(contentsOf: Self.paperFolder.appendingPathComponent("experiments.yaml"), encoding: .utf8)
        try edit(config).write(to: folder.appendingPathComponent("experiments.yaml"), atomically: true, encoding: .utf8)

        let workspace = Workspace(catalog: [HeavyTailedClipping()], root: root, log: { _ in })
        let paper = try workspace.reproduction("heavy-tailed-clipping")
        let experiments = try workspace.experiments(paper, scale: .quick, only: [SyntheticExperiment.id])
        _ = try workspace.run(paper, experiments: experiments, runner: Runner(store: workspace.store, jobs: 2, interactive: false, write: { _ in }))
        let baseline = try XCTUnwrap(BaselineFile.read(from: Self.paperFolder.appendingPathComponent("baselines.json")))
        var report = CheckReport()
        try report.compare(try workspace.results(paper, scale: .quick, experiments: experiments), with: baseline, claims: [])
        let rows = report.rows.filter { $0.item.hasPrefix(SyntheticExperiment.id + "/") }
        XCTAssertEqual(rows.count, baseline.groups.filter { $0.key.hasPrefix(SyntheticExperiment.id + "/") }.reduce(0) { $0 + $1.value.metrics.count })
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.item, $0.passed) })
    }

    /// Replaces `old` by `new` exactly once, so that a reworded config fails here, not silently.
    func replacing(_ old: String, _ new: String) -> (String) -> String {
        { text in
            XCTAssertEqual(text.components(separatedBy: old).count, 2, "experiments.yaml should contain `\(old)` once")
            return text.replacingOccurrences(of: old, with: new)
        }
    }

    func testTheShippedSweepPassesItsBaseline() throws {
        let rows = try checkSynthetic { $0 }
        XCTAssertFalse(rows.isEmpty)
        XCTAssertEqual(rows.filter { !$0.value }.keys.sorted(), [])
    }

    /// The failed items of a planted change, which must all belong to `method`.
    func failedItems(of method: String, _ edit: @escaping (String) -> String) throws -> Set<String> {
        let rows = try checkSynthetic(edit)
        let failed = Set(rows.filter { !$0.value }.keys)
        XCTAssertTrue(failed.allSatisfy { $0.contains("method=\(method) ") }, "\(failed.sorted())")
        return failed
    }

    /// The issue's own case; the 1 % case below shows the margin.
    func testATwoPercentLargerStepSizeFailsItsMethodOnly() throws {
        let failed = try failedItems(of: "Clip-SGD", replacing("{name: Clip-SGD, optimizer: {method: clip-sgd, lr: 0.01, clip: 1}}",
                                                               "{name: Clip-SGD, optimizer: {method: clip-sgd, lr: 0.0102, clip: 1}}"))
        XCTAssertFalse(failed.isEmpty, "a 2 % change of Clip-SGD's step size went unnoticed")
    }

    func testAOnePercentLargerStepSizeFailsItsMethodOnly() throws {
        let failed = try failedItems(of: "Clip-SGD", replacing("{name: Clip-SGD, optimizer: {method: clip-sgd, lr: 0.01, clip: 1}}",
                                                               "{name: Clip-SGD, optimizer: {method: clip-sgd, lr: 0.0101, clip: 1}}"))
        XCTAssertFalse(failed.isEmpty, "a 1 % change of Clip-SGD's step size went unnoticed")
    }

    func testAChangedMomentumCoefficientFailsItsMethodOnly() throws {
        let failed = try failedItems(of: "Adam", replacing("{name: Adam, optimizer: {method: adam, lr: 0.01}}",
                                                           "{name: Adam, optimizer: {method: adam, lr: 0.01, beta: 0.89}}"))
        XCTAssertFalse(failed.isEmpty, "Adam's β₁ changed from 0.9 to 0.89 went unnoticed")
    }
}
