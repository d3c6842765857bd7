import Engine
import Foundation
@testable import Suite
import TestSupport
import XCTest
@testable import SSMRecsys
import Tasks

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

    /// A run stopped at its checkpoints, once and then again, and continued each time, ends with
    /// the metrics.csv and final metrics of a run never stopped, bit for bit.
    func testAResumedRunIsBitIdenticalToAnUninterruptedOne() throws {
        var sweep = try RecsysConfig.shipped().quality.quick
        (sweep.maxEpochs, sweep.patience) = (5, 5)
        let spec = RecommenderSpec(name: "SASRec", kind: .sasrec)
        let run = try RunConfig(paper: "ssm-recsys", experiment: QualityExperiment.id, group: QualityExperiment.group(spec.name), seed: 1,
                                typed: QualityExperiment.Run(spec, sweep))
        let experiment = Experiment(id: QualityExperiment.id, title: "t", runs: [run], parameters: QualityExperiment.Run.self,
                                    execute: QualityExperiment.execute)
        let attempts = Attempts([experiment], paper: "ssm-recsys")
        let reports = attempts.wholeAndStopped(at: [1, 2])
        XCTAssertEqual(reports.whole.executed, 1)
        XCTAssertEqual(reports.stopped.map(\.interruptedBy), [SIGTERM, SIGTERM, nil])
        XCTAssertEqual(reports.stopped.map(\.saved.count), [1, 1, 0], "stopped twice at a checkpoint")
        XCTAssertEqual(reports.stopped.map(\.resumed.count), [0, 1, 1])
        XCTAssertEqual(reports.stopped.map(\.executed), [0, 0, 1])

        let (whole, stopped) = (attempts.store("whole"), attempts.store("stopped"))
        XCTAssertEqual(try attempts.file("metrics.csv", of: run, in: "stopped"), try attempts.file("metrics.csv", of: run, in: "whole"))
        XCTAssertEqual(try stopped.metrics(run).rows.count, 5, "one row per epoch")
        XCTAssertEqual(try stopped.summary(run)?.final, try whole.summary(run)?.final)
        let folder = stopped.directory(for: run).deletingLastPathComponent()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".tmp-") }, [],
                       "the checkpoint's folder became the run")
        XCTAssertFalse(FileManager.default.fileExists(atPath: stopped.directory(for: run).appendingPathComponent("checkpoint.bin").path),
                       "a finished run keeps no checkpoint")
    }
}
