import Engine
import Foundation
import Suite
import XCTest
@testable import ModelParallelCompression

/// `repro check` against the committed baseline with a compressor that keeps one element fewer.
/// Accuracies of short chaotic trainings move with the BLAS kernel as much as such a change moves
/// them, so it is the bits a step sends that must give it away: the baseline shows them the same
/// under every seed and kernel, and `check` holds them to 10⁻⁹ relative.
///
/// Bits per step do not depend on how long the model trains (TopK 10 % keeps no zero entry), so
/// the sandboxed sweep trains one step of the run group on 50 images instead of three epochs on
/// 500, cheap enough for a debug test build; the shipped compressor must still pass.
final class PlantedRegressionTests: XCTestCase {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let paperFolder = packageRoot.appendingPathComponent("reproductions/model-parallel-compression")
    static let method = "fw Top10%"
    static let shippedMethod = "{name: fw Top10%, boundary: {forward: {kind: topk, k: 0.1}}}"

    /// The check rows of `method`'s bits, seed 0 trained one step with `edit` applied to the config.
    func checkBits(_ edit: (String) -> String) throws -> [String: Bool] {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("planted-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("reproductions/model-parallel-compression")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var config = try String(contentsOf: Self.paperFolder.appendingPathComponent("experiments.yaml"), encoding: .utf8)
        config = replacing("quick: {data: sample, epochs: 3, batch: 50,", "quick: {data: sample, trainSize: 50, testSize: 50, epochs: 1, batch: 50,")(config)
        try edit(config).write(to: folder.appendingPathComponent("experiments.yaml"), atomically: true, encoding: .utf8)

        let paper = ModelParallelCompression()
        let workspace = Workspace(catalog: [paper], root: root, log: { _ in })
        let group = ImageExperiment.group(Self.method).name
        let experiments = try workspace.experiments(paper, scale: .quick, only: [ImageExperiment.id]).map { e in
            Experiment(id: e.id, title: e.title, runs: e.runs.filter { $0.group == group && $0.seed == 0 }, after: e.after,
                       analysis: e.analysis, exclusive: e.exclusive, exactMetrics: e.exactMetrics, execute: e.execute)
        }
        _ = try workspace.run(paper, experiments: experiments, runner: Runner(store: workspace.store, jobs: 1, interactive: false, write: { _ in }))
        let baseline = try XCTUnwrap(BaselineFile.read(from: Self.paperFolder.appendingPathComponent("baselines.json")))
        var report = CheckReport()
        try report.compare(try workspace.results(paper, scale: .quick, experiments: experiments), with: baseline, claims: [])
        let rows = report.rows.filter { $0.item.hasPrefix("\(ImageExperiment.id)/\(group) bits_") }
        XCTAssertEqual(rows.count, 2, "the baseline has no bits of \(group)")
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.item, $0.passed) })
    }

    func replacing(_ old: String, _ new: String) -> (String) -> String {
        { text in
            XCTAssertEqual(text.components(separatedBy: old).count, 2, "experiments.yaml should contain `\(old)` once")
            return text.replacingOccurrences(of: old, with: new)
        }
    }

    func testTheShippedCompressorSendsTheBaselinesBits() throws {
        let rows = try checkBits { $0 }
        XCTAssertEqual(rows.filter { !$0.value }.keys.sorted(), [])
    }

    func testACompressorKeepingOneElementFewerFailsTheCheck() throws {
        // Width 16 on 28×28: boundaries of 16·28·28, 32·14·14 and 64·7·7 entries per image. K = 0.0999
        // keeps ⌈K·D⌉ = 1254, 627, 314 of them where 0.1 keeps 1255, 628, 314: one element fewer
        // per image at the first two boundaries, as a rounding down of ⌈0.1·D⌉ would.
        let (shipped, planted) = (TopK(.fraction(0.1)), TopK(.fraction(0.0999)))
        XCTAssertEqual([12544, 6272, 3136].map { shipped.k(dimension: $0) - planted.k(dimension: $0) }, [1, 1, 0])

        let rows = try checkBits(replacing(Self.shippedMethod, "{name: fw Top10%, boundary: {forward: {kind: topk, k: 0.0999}}}"))
        XCTAssertEqual(rows.filter { !$0.value }.keys.sorted(), ["\(ImageExperiment.id)/\(ImageExperiment.group(Self.method).name) bits_fw_per_step"])
    }
}
