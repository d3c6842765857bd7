import Engine
import Foundation
import OptimizerBenchmark
import Suite
import InputFuzzing
import TestSupport
import XCTest

/// The README's "Add your optimizer", step by step: the optimizer's file (`CoordinateClippedSGD`),
/// its definition added to the registry, one line in a copy of the shipped experiments.yaml, then
/// `repro run optimizer-benchmark` and `repro figures optimizer-benchmark`, here through the same
/// workspace calls. The new optimizer must be tuned and ranked on every workload.
final class AddYourOptimizerTests: XCTestCase {
    func testAnOptimizerAddedInOneFileAndOneLineIsRankedOnEveryWorkload() throws {
        XCTAssertEqual(CoordinateClippedSGD.hand(), [0.9, -0.5, 0.75], "one step by hand")

        let root = FileManager.default.temporaryDirectory.appendingPathComponent("add-optimizer-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("reproductions/optimizer-benchmark")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let shipped = try String(contentsOf: projectRoot.appendingPathComponent("reproductions/optimizer-benchmark/experiments.yaml"), encoding: .utf8)
        let line = "  - {name: Coordinate-Clipped-SGD, method: coordinate-clipped-sgd, clip: 1}\n"
        var edited = shipped.replacingOccurrences(of: "optimizers:\n", with: "optimizers:\n" + line)
        XCTAssertNotEqual(edited, shipped)
        // The quick sweep's two quadratics only: its neural workloads take seconds in a release
        // build and many minutes in the debug build tests run in.
        for model in ["char-decoder", "llama-lm", "resnet", "resnet-topk10", "sasrec", "mamba4rec"] { edited = try Self.removing(workload: model, from: edited) }
        XCTAssertEqual(edited.components(separatedBy: "    - name: ").count - 1, 2 + 8, "2 quadratics at quick scale, 8 workloads at full")
        try edited.write(to: folder.appendingPathComponent("experiments.yaml"), atomically: true, encoding: .utf8)

        let registry = OptimizerRegistry(OptimizerRegistry.standard.definitions + [CoordinateClippedSGD.definition])
        let workspace = Workspace(catalog: [OptimizerBenchmark(registry: registry)], root: root, log: { _ in })
        let paper = try workspace.reproduction("optimizer-benchmark")
        let runner = Runner(store: workspace.store, jobs: 2, interactive: false, write: { _ in })
        let report = try workspace.run(paper, experiments: try workspace.experiments(paper, scale: .quick), runner: runner)
        XCTAssertTrue(report.failures.isEmpty, "\(report.failures)")
        _ = try workspace.figures(paper, scale: .quick, runner: runner, computeMissing: false)

        let table = try String(contentsOf: workspace.plotsDirectory(paper, scale: .quick).appendingPathComponent("results.csv"), encoding: .utf8)
        let rows = table.split(separator: "\n").filter { $0.contains("Coordinate-Clipped-SGD") }
        let workloads = ["quadratic-pareto", "quadratic-gaussian"]
        XCTAssertEqual(rows.count, workloads.count, table)
        for workload in workloads { XCTAssertTrue(rows.contains { $0.hasPrefix(workload + ",") }, "\(workload): \(rows)") }
        let profiles = try String(contentsOf: workspace.plotsDirectory(paper, scale: .quick).appendingPathComponent("profiles.csv"), encoding: .utf8)
        XCTAssertTrue(profiles.contains("Coordinate-Clipped-SGD"), profiles)
    }
}

extension AddYourOptimizerTests {
    /// `yaml` without the quick sweep's entry of `workload` (its lines up to the next entry or section).
    static func removing(workload: String, from yaml: String) throws -> String {
        var lines = yaml.components(separatedBy: "\n")
        let quick = try XCTUnwrap(lines.firstIndex(of: "quick:"))
        let start = try XCTUnwrap(lines[quick...].firstIndex(of: "    - name: \(workload)"))
        let end = lines[(start + 1)...].firstIndex { $0.hasPrefix("    - name:") || !$0.hasPrefix("  ") } ?? lines.count
        lines.removeSubrange(start..<end)
        return lines.joined(separator: "\n")
    }
}

extension CoordinateClippedSGD {
    /// One step at γ = 0.5 from x = (1, −1, 1) with g = (0.2, −3, 0.5) and c = 1: clamp(g) = (0.2, −1, 0.5).
    static func hand() -> [Float] {
        let store = ParameterStore(vector: Tensor(shape: [3], [1, -1, 1]))
        store.grads = Tensor(shape: [3], [0.2, -3, 0.5])
        var optimizer = CoordinateClippedSGD(learningRate: 0.5, level: 1)
        optimizer.step(store)
        return store.values.scalars
    }
}
