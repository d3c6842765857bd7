import Engine
import Foundation
@testable import Suite
import XCTest
@testable import SSMRecsys

/// `repro check` against the committed baseline with a bias planted in a ranking metric: the
/// popularity ranking's test metrics are computed by the shipped code, then reported `bias` higher
/// (relative), as a metric that counted a few near misses as hits would report them. The popularity
/// ranking involves no training and no BLAS, so its baseline has no spread and the 10⁻³ relative
/// floor is all the room `check` gives: 0.2 % must fail, 0.05 % must pass.
final class PlantedRegressionTests: XCTestCase {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let paperFolder = packageRoot.appendingPathComponent("reproductions/ssm-recsys")
    static let biased = ["best_test_hr@10", "best_test_ndcg@10", "best_test_mrr@10"]

    /// The check rows of the popularity ranking, its test @10 metrics multiplied by 1 + `bias`.
    func checkPopularity(bias: Double) throws -> [String: Bool] {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("planted-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("reproductions/ssm-recsys")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.paperFolder.appendingPathComponent("experiments.yaml"), to: folder.appendingPathComponent("experiments.yaml"))

        let paper = SSMRecsys()
        let workspace = Workspace(catalog: [paper], root: root, log: { _ in })
        let group = QualityExperiment.group("Popularity").name
        let experiments = try workspace.experiments(paper, scale: .quick, only: [QualityExperiment.id]).map { e in
            Experiment(id: e.id, title: e.title, runs: e.runs.filter { $0.group == group }, after: e.after,
                       analysis: e.analysis, exclusive: e.exclusive, exactMetrics: e.exactMetrics, execute: e.execute)
        }
        _ = try workspace.run(paper, experiments: experiments, runner: Runner(store: workspace.store, jobs: 1, interactive: false, write: { _ in }))
        for run in experiments[0].runs {
            let url = workspace.store.directory(for: run).appendingPathComponent("summary.json")
            var summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            var final = try XCTUnwrap(summary["final"] as? [String: Any])
            for metric in Self.biased { final[metric] = try XCTUnwrap(final[metric] as? Double, metric) * (1 + bias) }
            summary["final"] = final
            // Sealed again, as if the code had computed the biased values: otherwise the store's
            // digests would catch the edit before the comparison does.
            let planted = try JSONDecoder().decode(RunSummary.self, from: JSONSerialization.data(withJSONObject: summary))
            try RunIntegrity.sealed(planted, folder: url.deletingLastPathComponent()).bytes.write(to: url)
        }

        let baseline = try XCTUnwrap(BaselineFile.read(from: Self.paperFolder.appendingPathComponent("baselines.json")))
        var report = CheckReport()
        try report.compare(try workspace.results(paper, scale: .quick, experiments: experiments), with: baseline, claims: [])
        let rows = report.rows.filter { $0.item.hasPrefix("\(QualityExperiment.id)/\(group) ") }
        XCTAssertEqual(rows.count, baseline.groups["\(QualityExperiment.id)/\(group)"]?.metrics.count)
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.item, $0.passed) })
    }

    func testTheShippedRankingPassesItsBaseline() throws {
        let rows = try checkPopularity(bias: 0)
        XCTAssertFalse(rows.isEmpty)
        XCTAssertEqual(rows.filter { !$0.value }.keys.sorted(), [])
    }

    func testARankingMetricBiasedByTwoPerMilleFailsTheCheck() throws {
        let rows = try checkPopularity(bias: 0.002)
        XCTAssertEqual(rows.filter { !$0.value }.keys.sorted(), Self.biased.map { "\(QualityExperiment.id)/\(QualityExperiment.group("Popularity").name) \($0)" }.sorted())
    }

    func testABiasUnderTheFloorPasses() throws {
        let rows = try checkPopularity(bias: 0.0005)
        XCTAssertEqual(rows.filter { !$0.value }.keys.sorted(), [])
    }
}
