import Engine
import Foundation
import Suite
import TestSupport
import XCTest
@testable import SSMRecsys
import Tasks

final class AdaptiveExperimentTests: XCTestCase {
    func testMicroBatchesGiveTheWholeBatchGradient() throws {
        let data = try InteractionSequences(.sample)
        var builder = ParameterBuilder(rng: RNG(seed: 3))
        let model = try XCTUnwrap(RecommenderSpec(name: "m", kind: .mamba4rec, width: 8, dropout: 0, stateSize: 4)
            .make(items: data.items, maxLength: 20, builder: &builder))
        let store = builder.build()
        let rows = Array(data.trainingWindows(maxLength: 20).prefix(23))
        let whole = RecommenderTraining.gradient(model, store, rows, objective: .crossEntropy, mode: .evaluation)
        let expected = store.grads.scalars
        var micro = MicroBatchGradients(capacity: 3, dimension: store.count)
        let (outcome, statistics) = RecommenderTraining.microBatchGradient(model, store, rows, parts: 3, into: &micro, rng: RNG(seed: 4))
        XCTAssertEqual(outcome.targets, whole.targets)
        XCTAssertEqual(statistics.microBatches, 3)
        XCTAssertEqual(outcome.loss, whole.loss, accuracy: 1e-5)
        let scale = expected.map(abs).max() ?? 1
        for (a, b) in zip(store.grads.scalars, expected) { XCTAssertEqual(a, b, accuracy: 1e-5 * scale) }
        XCTAssertGreaterThan(statistics.variance, 0)
    }

    func testSamplerDrawsEveryWindowOncePerEpochAcrossBatches() {
        var sampler = WindowSampler(count: 10, rng: RNG(seed: 1))
        let first = sampler.next(4) + sampler.next(4) + sampler.next(2)
        XCTAssertEqual(first.sorted(), Array(0..<10))
        // A batch crossing the epoch's end finishes it and starts the next order.
        let crossing = sampler.next(7) + sampler.next(7)
        XCTAssertEqual(Array(crossing.prefix(10)).sorted(), Array(0..<10))
        XCTAssertNotEqual(Array(crossing.prefix(10)), first, "each epoch has its own order")
    }

    /// The adaptive sweep on the shipped sample, one model, a fixed and a strict norm-test setting.
    func testStrictNormTestGrowsTheBatchAndTimeIsAMeasurement() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ssm-adaptive-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        var config = try RecsysConfig.shipped()
        config.models = [RecommenderSpec(name: "Mamba4Rec", kind: .mamba4rec, width: 8, stateSize: 4)]
        config.trainingSettings = [
            TrainingSetting(name: SSMRecsys.adam, optimizer: .init(method: .adam, lr: 1e-2)),
            TrainingSetting(name: SSMRecsys.adamNorm, optimizer: .init(method: .adam, lr: 1e-2), batchTest: .init(kind: .norm, theta: 0.05)),
        ]
        config.adaptive.quick = AdaptiveSweep(data: .sample, maxLength: 20, models: ["Mamba4Rec"], batch: 16, adaptiveStart: 8, maxBatch: 128,
                                              microBatches: 4, epochs: 2, evaluations: 2, seeds: 1)
        let experiment = try AdaptiveExperiment.make(config, scale: .quick, paper: "ssm-recsys")
        let store = RunStore(root: root)
        let report = Runner(store: store, jobs: 2, interactive: false, write: { _ in }).run([experiment], paper: "ssm-recsys")
        XCTAssertTrue(report.failures.isEmpty, "\(report.failures)")
        let results = ResultSet(paper: "ssm-recsys", scale: .quick, experiments: [experiment], store: store)
        let fixed = try results.adaptivePoints("Mamba4Rec", SSMRecsys.adam)[0]
        let adaptive = try results.adaptivePoints("Mamba4Rec", SSMRecsys.adamNorm)[0]
        XCTAssertEqual(Set(fixed.map(\.batch)), [16])
        XCTAssertEqual(adaptive.last?.batch, 128, "θ = 0.05 asks for far more than the sample's noise allows: the batch reaches its cap")
        XCTAssertEqual(fixed.last!.sequences, adaptive.last!.sequences, "the same budget of sequences")
        XCTAssertLessThan(adaptive.last!.steps, fixed.last!.steps)
        let summary = try XCTUnwrap(store.summary(experiment.runs[0]))
        XCTAssertNil(summary.final["train_seconds"], "wall time is not a compared metric")
        XCTAssertNotNil(summary.measurements?["train_seconds"])
    }

    /// A run stopped at two evaluations and continued logs the same rows and results as one never
    /// stopped: the sampler's order and place, the growing batch and its window of proposals, the
    /// optimizer and the counters all come back (the measured training seconds excepted).
    func testAResumedRunIsBitIdenticalToAnUninterruptedOne() throws {
        var config = try RecsysConfig.shipped()
        config.models = [RecommenderSpec(name: "Mamba4Rec", kind: .mamba4rec, width: 8, stateSize: 4)]
        config.trainingSettings = [TrainingSetting(name: SSMRecsys.adamNorm, optimizer: .init(method: .adam, lr: 1e-2),
                                                   batchTest: .init(kind: .norm, theta: 0.9, window: 2))]
        config.adaptive.quick = AdaptiveSweep(data: .sample, maxLength: 20, models: ["Mamba4Rec"], batch: 16, adaptiveStart: 8, maxBatch: 256,
                                              microBatches: 4, epochs: 3, evaluations: 3, seeds: 1)
        let experiment = try AdaptiveExperiment.make(config, scale: .quick, paper: "ssm-recsys")
        let run = try XCTUnwrap(experiment.runs.first)
        let attempts = Attempts([experiment], paper: "ssm-recsys")
        let reports = attempts.wholeAndStopped(at: [2, 3])
        XCTAssertEqual(reports.whole.executed, 1)
        XCTAssertEqual(reports.stopped.map(\.saved.count), [1, 1, 0])
        XCTAssertEqual(reports.stopped.map(\.resumed.count), [0, 1, 1])

        let (whole, stopped) = (attempts.store("whole"), attempts.store("stopped"))
        let (a, b) = (try whole.metrics(run), try stopped.metrics(run))
        XCTAssertEqual(a.columns, b.columns)
        let timed = try XCTUnwrap(a.columns.firstIndex(of: "train_seconds"))
        func computed(_ rows: [[Double]]) -> [[UInt64]] { rows.map { row in row.enumerated().filter { $0.offset != timed }.map(\.element.bitPattern) } }
        XCTAssertEqual(computed(b.rows), computed(a.rows))
        XCTAssertGreaterThanOrEqual(a.rows.count, 5)
        let batches = Set(a.rows.map { $0[try! XCTUnwrap(a.columns.firstIndex(of: "batch"))] })
        XCTAssertGreaterThan(batches.count, 1, "the batch grew during the run, so its controller's state mattered: \(batches)")
        XCTAssertEqual(try stopped.summary(run)?.final, try whole.summary(run)?.final)
    }
}
