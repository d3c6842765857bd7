import Engine
import Suite
import XCTest
@testable import SSMRecsys

final class QualityExperimentTests: XCTestCase {
    /// 1 000 windows of lengths 1…50 with as many targets as inputs.
    let lengths = (0..<1000).map { 1 + ($0 * 37) % 50 }

    func testBatchesOfSamplesHoldBatchSizeWindowsAndUseEachOnce() {
        var rng = RNG(seed: 7)
        let batches = QualityExperiment.batches(lengths, batchSize: 32, rng: &rng)
        XCTAssertEqual(batches.flatMap { $0 }.sorted(), Array(0..<1000))
        // 1 000 = 512 + 488: the first pool cuts into 16 full batches, the second into 15 and one of 8.
        XCTAssertEqual(batches.map(\.count).sorted(), [8] + Array(repeating: 32, count: 31))
        // Sorted within pools of ~10 windows per length: a batch spans a few lengths (random ones would span ~45).
        for batch in batches { XCTAssertLessThanOrEqual(batch.map { lengths[$0] }.max()! - batch.map { lengths[$0] }.min()!, 8) }
    }

    func testBatchesOfTargetsCloseOnceTheirTargetsReachTheBatchSize() {
        var rng = RNG(seed: 7)
        let batches = QualityExperiment.batches(lengths, weights: lengths, batchSize: 200, rng: &rng)
        XCTAssertEqual(batches.flatMap { $0 }.sorted(), Array(0..<1000))
        let targets = batches.map { $0.reduce(0) { $0 + lengths[$1] } }
        // Every batch but the last of each pool reaches 200 targets, and overshoots by less than one window.
        XCTAssertGreaterThan(targets.filter { $0 >= 200 }.count, targets.count - 10)
        XCTAssertLessThan(targets.max()!, 250)
        // Long windows make small batches: targets, not windows, are what a batch holds.
        let (short, long) = (batches.filter { lengths[$0[0]] < 10 }, batches.filter { lengths[$0[0]] > 40 })
        XCTAssertGreaterThan(short.map(\.count).min()!, long.map(\.count).max()!)
    }

    func testBatchingByTargetsIsAParameterOnlyWhenChosen() throws {
        func run(_ sweep: QualitySweep) throws -> RunConfig {
            try RunConfig(paper: "ssm-recsys", experiment: "ablation", group: RunGroup(["variant": "g"]), seed: 0,
                          typed: QualityExperiment.Run(RecommenderSpec(name: "SASRec", kind: .sasrec), sweep))
        }
        let plain = try run(RecsysConfig.shipped().ablation.full)
        XCTAssertNil(plain.parameters["batchBy"])
        XCTAssertNil(try plain.typed(QualityExperiment.Run.self).batchBy)
        var sweep = try RecsysConfig.shipped().ablation.full
        sweep.batchBy = .targets
        let byTargets = try run(sweep)
        XCTAssertEqual(byTargets.parameters["batchBy"], "targets")
        XCTAssertEqual(try byTargets.typed(QualityExperiment.Run.self).batchBy, .targets)
        XCTAssertNotEqual(plain.key, byTargets.key)
    }
}
