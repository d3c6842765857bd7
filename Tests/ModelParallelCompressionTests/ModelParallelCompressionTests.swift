import Engine
import Foundation
import InputFuzzing
import Suite
import TestSupport
import XCTest
@testable import ModelParallelCompression

final class ModelParallelCompressionTests: XCTestCase {
    func testShippedConfigIsValid() throws {
        XCTAssertNoThrow(try ConfigFile.load(ModelParallelConfig.self,
                                             from: projectRoot.appendingPathComponent("reproductions/model-parallel-compression/experiments.yaml")))
    }

    func testSelectingTheFineTuningAlsoSelectsThePretraining() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let workspace = Workspace(catalog: [ModelParallelCompression()], root: root, log: { _ in })
        let selected = try workspace.experiments(ModelParallelCompression(), scale: .quick, only: [LanguageModelExperiments.id])
        XCTAssertEqual(selected.map(\.id), [LanguageModelExperiments.pretrainID, LanguageModelExperiments.id])
    }

    func testDecoderCutsAreThePapersGPT2CutsForTwelveBlocks() {
        XCTAssertEqual(LanguageModelExperiments.cutBlocks(layers: 12, stages: 4), [2, 5, 8])
        XCTAssertEqual(LanguageModelExperiments.cutBlocks(layers: 4, stages: 4), [0, 1, 2])
    }

    func testIdentityBoundariesSendThirtyTwoBitsPerActivationEntry() throws {
        let table = try runImage(.identity)
        // Width 4 on 28×28: boundaries of 4·28·28, 8·14·14 and 16·7·7 entries per image, batch 25.
        XCTAssertEqual(table.column("bits_fw_per_step"), [32 * 25 * (3136 + 1568 + 784)])
        XCTAssertEqual(table.column("bits_bw_per_step"), table.column("bits_fw_per_step"))
        XCTAssertEqual(table.column("test_acc_compressed"), table.column("test_acc_uncompressed"))
    }

    func testTopKSendsAtMostAFractionOfTheEntriesWithPositions() throws {
        let table = try runImage(BoundarySpec(forward: .topK(0.1), backward: .topK(0.1)))
        let fw = try XCTUnwrap(table.column("bits_fw_per_step")?.first)
        // At most ⌈0.1·D⌉ values per image and boundary, each 32 bits plus a position.
        let perImage: Int = 314 * (32 + 12) + 157 * (32 + 11) + 79 * (32 + 10)
        let bound = Double(25 * perImage)
        XCTAssertGreaterThan(fw, 0)
        XCTAssertLessThanOrEqual(fw, bound)
    }

    func testFineTuningStartsFromThePretrainedModel() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("mpc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let config = LMConfig(
            model: .init(layers: 2, width: 16, heads: 2, context: 16),
            methods: [.init(name: "none", boundary: .identity), .init(name: "Top10% shared", boundary: BoundarySpec(forward: .topK(0.1), backwardMask: .shared))],
            quick: .init(data: .sample, pretrain: .init(steps: 20, batch: 4, optimizer: .init(method: .adamw, lr: 3e-3)), windows: 8, epochs: 1,
                         batch: 4, optimizer: .init(method: .adamw, lr: 1e-3), evalBatches: 2, seeds: 1, keySeeds: 1),
            full: .init(data: .sample, pretrain: .init(steps: 1, batch: 4, optimizer: .init(method: .adamw, lr: 3e-3)), windows: 8, epochs: 1,
                        batch: 4, optimizer: .init(method: .adamw, lr: 1e-3), evalBatches: 2, seeds: 1, keySeeds: 1))
        let experiments = try LanguageModelExperiments.make(config, stages: 2, scale: .quick, paper: "model-parallel-compression")
        let store = RunStore(root: root)
        // Two jobs: the runner must still finish the pre-training before any fine-tuning starts.
        let report = Runner(store: store, jobs: 2, interactive: false, write: { _ in }).run(experiments, paper: "model-parallel-compression")
        XCTAssertTrue(report.failures.isEmpty, "\(report.failures)")
        let pretrained = try XCTUnwrap(store.metrics(experiments[0].runs[0]).column("val_loss")?.last)
        for run in experiments[1].runs {
            let table = try store.metrics(run)
            // Same validation windows and batch: row 0 is the pre-trained model's loss exactly.
            XCTAssertEqual(try XCTUnwrap(table.column("val_loss_uncompressed")?.first), pretrained, accuracy: 1e-6, run.group)
            XCTAssertEqual(table.column("step"), [0, 2])
        }
    }

    /// The pre-training stopped at its third and then its seventh logged step and continued each
    /// time ends with the metrics and parameters of a pre-training never stopped, bit for bit.
    func testAResumedPretrainingIsBitIdenticalToAnUninterruptedOne() throws {
        let sweep = LMConfig.Sweep(data: .sample, pretrain: .init(steps: 40, batch: 4, optimizer: .init(method: .adamw, lr: 3e-3)), windows: 8,
                                   epochs: 1, batch: 4, optimizer: .init(method: .adamw, lr: 1e-3), evalBatches: 2, seeds: 1, keySeeds: 1)
        let config = LMConfig(model: .init(layers: 2, width: 16, heads: 2, context: 16), methods: [.init(name: "none", boundary: .identity)],
                              quick: sweep, full: sweep)
        let pretraining = try LanguageModelExperiments.make(config, stages: 2, scale: .quick, paper: "model-parallel-compression")[0]
        let attempts = Attempts([pretraining], paper: "model-parallel-compression")
        let (whole, stopped) = attempts.wholeAndStopped(at: [3, 4])
        XCTAssertEqual(whole.executed, 1)
        XCTAssertEqual(stopped.map(\.saved.count), [1, 1, 0])
        XCTAssertEqual(stopped.map(\.resumed.count), [0, 1, 1])
        XCTAssertEqual(stopped.last?.executed, 1)

        let run = pretraining.runs[0]
        for file in ["metrics.csv", LanguageModelExperiments.parametersFile] {
            XCTAssertEqual(try attempts.file(file, of: run, in: "stopped"), try attempts.file(file, of: run, in: "whole"), file)
        }
    }

    /// The pipelined ResNet with error feedback and with AQ-SGD, and the LM fine-tuning with EF21,
    /// stopped after their first and second epochs and continued, end with the metrics of runs
    /// never stopped, bit for bit: parameters, running statistics, optimizer and boundary memories
    /// all carry over.
    func testResumedPipelinedTrainingIsBitIdenticalToAnUninterruptedOne() throws {
        let sweep = ImageConfig.Sweep(data: .sample, trainSize: 50, testSize: 20, epochs: 3, batch: 25,
                                      optimizer: .init(method: .sgd, lr: 0.05, beta: 0.9, weightDecay: 5e-4), augment: true, seeds: 1, keySeeds: 1)
        var ef = BoundarySpec(forward: .topK(0.1), backward: .topK(0.1))
        ef.compensation = .ef
        var aq = BoundarySpec(forward: .topK(0.1), backward: .topK(0.1))
        (aq.compensation, aq.warmupEpochs) = (.aqsgd, 1)
        let image = ImageConfig(model: .init(inputChannels: 1, height: 28, width: 28, classes: 10, baseWidth: 4, blocks: [1, 1, 1, 1]),
                                methods: [.init(name: "EF", boundary: ef), .init(name: "AQ", boundary: aq)], quick: sweep, full: sweep)
        var ef21 = BoundarySpec(forward: .topK(0.1), backward: .topK(0.1))
        ef21.compensation = .ef21
        let lmSweep = LMConfig.Sweep(data: .sample, pretrain: .init(steps: 5, batch: 4, optimizer: .init(method: .adamw, lr: 3e-3)), windows: 8,
                                     epochs: 3, batch: 4, optimizer: .init(method: .adamw, lr: 1e-3), evalBatches: 2, seeds: 1, keySeeds: 1)
        let lm = LMConfig(model: .init(layers: 2, width: 16, heads: 2, context: 16), methods: [.init(name: "EF21", boundary: ef21)],
                          quick: lmSweep, full: lmSweep)
        let experiments = [try ImageExperiment.make(image, stages: 4, timeModel: .init(bandwidths: [1e9], targetFraction: 0.9), scale: .quick,
                                                    paper: "model-parallel-compression")]
            + (try LanguageModelExperiments.make(lm, stages: 2, scale: .quick, paper: "model-parallel-compression"))
        let attempts = Attempts(experiments, paper: "model-parallel-compression")
        XCTAssertEqual(attempts.run("whole").failures, [])
        // The first attempt stops at the first run's first epoch; each later one stops at its second checkpoint.
        var reports = [attempts.run("stopped", stopAt: 1)]
        while reports.last!.interruptedBy != nil && reports.count < 10 { reports.append(attempts.run("stopped", stopAt: 2)) }
        reports.append(attempts.run("stopped"))
        XCTAssertEqual(reports.flatMap(\.failures), [])
        XCTAssertGreaterThanOrEqual(reports.flatMap(\.resumed).count, 3, "every training run continued at least once")
        for run in experiments.flatMap(\.runs) {
            XCTAssertEqual(try attempts.file("metrics.csv", of: run, in: "stopped"), try attempts.file("metrics.csv", of: run, in: "whole"), run.label)
        }
    }

    func runImage(_ spec: BoundarySpec) throws -> MetricsTable {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("mpc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let sweep = ImageConfig.Sweep(data: .sample, trainSize: 50, testSize: 20, epochs: 1, batch: 25,
                                      optimizer: .init(method: .sgd, lr: 0.05, beta: 0.9, weightDecay: 5e-4), augment: true, seeds: 1, keySeeds: 1)
        let config = ImageConfig(model: .init(inputChannels: 1, height: 28, width: 28, classes: 10, baseWidth: 4, blocks: [1, 1, 1, 1]),
                                 methods: [.init(name: "m", boundary: spec)], quick: sweep, full: sweep)
        let experiment = try ImageExperiment.make(config, stages: 4, timeModel: .init(bandwidths: [1e9], targetFraction: 0.9),
                                                  scale: .quick, paper: "model-parallel-compression")
        let store = RunStore(root: root)
        let report = Runner(store: store, jobs: 1, interactive: false, write: { _ in }).run([experiment], paper: "model-parallel-compression")
        XCTAssertTrue(report.failures.isEmpty, "\(report.failures)")
        let summary = try XCTUnwrap(store.summary(experiment.runs[0]))
        XCTAssertNotNil(summary.measurements?["seconds_per_step"], "compute time is recorded as a measurement")
        XCTAssertNil(summary.final["seconds_per_step"], "and never as a compared metric")
        return try store.metrics(experiment.runs[0])
    }

    func testImageStagesMustMatchTheResNetLayers() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("reproductions/model-parallel-compression/experiments.yaml")
        let yaml = try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "\nstages: 4\n", with: "\nstages: 3\n")
        XCTAssertThrowsError(try ConfigFile.decode(ModelParallelConfig.self, yaml: yaml, file: "experiments.yaml")) { error in
            XCTAssertEqual("\(error)", "experiments.yaml: model-parallel-compression image: stages (3) must equal the ResNet's layers (model.blocks has 4)")
        }
    }
}
