import Datasets
import Engine
import Foundation
import Suite
import TestSupport
import XCTest
@testable import HeavyTailedClipping

final class HeavyTailedClippingTests: XCTestCase {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let configDirectory = packageRoot.appendingPathComponent("reproductions/heavy-tailed-clipping")
    /// The shipped sweep (validated as it loads).
    static func shipped() throws -> HeavyTailedClippingConfig { try HeavyTailedClipping.config(configDirectory) }

    func testANonPositiveCountIsRejectedWithItsSection() throws {
        let file = Self.packageRoot.appendingPathComponent("reproductions/heavy-tailed-clipping/experiments.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        let broken = text.replacingOccurrences(of: "evalBatches: 4", with: "evalBatches: 0")
        XCTAssertNotEqual(broken, text, "the shipped config no longer sets evalBatches: 4")
        XCTAssertThrowsError(try ConfigFile.decode(HeavyTailedClippingConfig.self, yaml: broken, file: "experiments.yaml")) { error in
            XCTAssertTrue("\(error)".hasPrefix("experiments.yaml: heavy-tailed-clipping char-lm: "), "\(error)")
        }
    }

    func testSweepExpandsNoisesTimesMethodsTimesSeeds() throws {
        let experiments = try HeavyTailedClipping().experiments(scale: .quick, configDirectory: Self.configDirectory)
        XCTAssertEqual(experiments.map(\.id), [SyntheticExperiment.paperID, SyntheticExperiment.id, CharLMExperiment.id, GradientNoiseExperiment.id])
        let config = try Self.shipped()
        for (experiment, sweep) in zip(experiments, [config.paperQuadratic, config.synthetic]) {
            XCTAssertEqual(experiment.runs.count, sweep.noises.count * sweep.methods.count * sweep.quick.seeds)
        }
        let lm = config.charLM
        XCTAssertEqual(experiments[2].runs.count, lm.methods.count * lm.quick.seeds)
        XCTAssertEqual(experiments[3].runs.count, lm.quick.noiseCheckpoints.count)
        let keys = experiments.flatMap(\.runs).map(\.key)
        XCTAssertEqual(Set(keys).count, keys.count, "every run has its own key")
    }

    func testGroupNamesUseTheSuiteNaming() {
        let group = SyntheticExperiment.group(noise: NoiseSpec(kind: .studentT, tail: 1.5), method: "Clip-RAdaGradD").name
        XCTAssertEqual(group, "noise=student-t(1.5) method=Clip-RAdaGradD")
    }

    func testWithoutNoiseEveryMethodDecreasesTheGap() throws {
        // σ → 0 leaves the deterministic quadratic, on which all eight methods must make progress.
        for method in try Self.shipped().synthetic.methods {
            let gap = try finalGap(method.optimizer, noise: NoiseSpec(kind: .gaussian, sigma: 1e-12), steps: 300)
            XCTAssertLessThan(gap, 0.5 * 5, "\(method.name) should reduce f(x₀) = 5")
        }
    }

    func testSameSeedGivesTheSameTrajectory() throws {
        let spec = OptimizerSpec(method: .clipRAdagradD, lr: 1, clip: 1, eta: 1, b0: 1)
        let noise = NoiseSpec(kind: .alphaStable, tail: 1.5)
        XCTAssertEqual(try finalGap(spec, noise: noise, steps: 50, seed: 3), try finalGap(spec, noise: noise, steps: 50, seed: 3))
        XCTAssertNotEqual(try finalGap(spec, noise: noise, steps: 50, seed: 3), try finalGap(spec, noise: noise, steps: 50, seed: 4))
    }

    func testCharLMTrainingLowersTheValidationLossOnTheShippedSample() throws {
        let summary = try runCharLM(CharLMExperiment.id, ["optimizer": try .json(OptimizerSpec(method: .adam, lr: 3e-3)),
                                                           "steps": 40, "evalEvery": 20, "evalBatches": 2])
        let table = try XCTUnwrap(summary.metrics)
        let validation = try XCTUnwrap(table.column("val_loss"))
        XCTAssertEqual(try XCTUnwrap(table.column("step")), [0, 20, 40])
        XCTAssertLessThan(validation[2], validation[0] - 0.3, "40 Adam steps should move the loss well below log(V) ≈ \(validation[0])")
    }

    func testGradientNoiseProbeLogsOneDistancePerMinibatchAndAHillEstimate() throws {
        let summary = try runCharLM(GradientNoiseExperiment.id, ["optimizer": try .json(OptimizerSpec(method: .adam, lr: 1e-3)),
                                                                  "checkpoint": 2, "samples": 30, "fullBatches": 3])
        let norms = try XCTUnwrap(summary.metrics?.column("noise_norm"))
        XCTAssertEqual(norms.count, 30)
        XCTAssertTrue(norms.allSatisfy { $0 > 0 && $0.isFinite })
        XCTAssertEqual(summary.final["reference_windows"], 12, "3 batches of 4 windows")
        XCTAssertGreaterThan(try XCTUnwrap(summary.final["hill_tail_index"]), 0)
    }

    /// A character-LM run stopped at its first and third logged steps and continued logs the same
    /// rows and results as one never stopped.
    func testAResumedCharLMRunIsBitIdenticalToAnUninterruptedOne() throws {
        guard DatasetRegistry.standard.samplesDirectory != nil else { throw XCTSkip("the repository's datasets/ folder was not found") }
        let run = RunConfig(paper: "heavy-tailed-clipping", experiment: CharLMExperiment.id, group: "g", seed: 3, parameters: [
            "model": try .json(CharLMConfig.Model(layers: 1, width: 16, heads: 2, context: 16)), "data": "sample", "batch": 4,
            "optimizer": try .json(OptimizerSpec(method: .clipRAdagradD, lr: 0.05, clip: 1, eta: 0.5, b0: 1)), "steps": 40, "evalEvery": 10, "evalBatches": 1,
        ])
        let experiment = Experiment(id: CharLMExperiment.id, title: "t", runs: [run], parameters: CharLMExperiment.Run.self,
                                    execute: CharLMExperiment.execute)
        let attempts = Attempts([experiment], paper: "heavy-tailed-clipping")
        let (whole, stopped) = attempts.wholeAndStopped(at: [1, 2])
        XCTAssertEqual(whole.executed, 1)
        XCTAssertEqual(stopped.map(\.saved.count), [1, 1, 0], "each attempt but the last stopped at a checkpoint")
        XCTAssertEqual(stopped.map(\.resumed.count), [0, 1, 1], "each attempt but the first continued one")
        XCTAssertEqual(try attempts.file("metrics.csv", of: run, in: "stopped"), try attempts.file("metrics.csv", of: run, in: "whole"))
        XCTAssertEqual(try attempts.store("stopped").metrics(run).column("step"), [0, 10, 20, 30, 40])
        XCTAssertEqual(try attempts.store("stopped").summary(run)?.final, try attempts.store("whole").summary(run)?.final)
    }

    /// Runs in parallel get one thread each, a run alone gets every core; the metrics must not notice.
    /// The model is wide enough (64, 12 windows of 64 characters) for its GEMMs and row kernels to split.
    func testCharLMRunsAreBitIdenticalWithOneOrTwoJobs() throws {
        guard DatasetRegistry.standard.samplesDirectory != nil else { throw XCTSkip("the repository's datasets/ folder was not found") }
        let parameters: [String: ConfigValue] = [
            "model": try .json(CharLMConfig.Model(layers: 1, width: 64, heads: 4, context: 64)), "data": "sample", "batch": 12,
            "optimizer": try .json(OptimizerSpec(method: .adam, lr: 3e-3)), "steps": 4, "evalEvery": 2, "evalBatches": 1,
        ]
        let runs = (0..<2).map { RunConfig(paper: "heavy-tailed-clipping", experiment: CharLMExperiment.id, group: "g", seed: $0, parameters: parameters) }
        let experiment = Experiment(id: CharLMExperiment.id, title: "t", runs: runs, parameters: CharLMExperiment.Run.self,
                                    execute: CharLMExperiment.execute)
        func metrics(jobs: Int) throws -> [String] {
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("htc-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: root) }
            let store = RunStore(root: root)
            let report = Runner(store: store, jobs: jobs, interactive: false, write: { _ in }).run([experiment], paper: "heavy-tailed-clipping")
            XCTAssertTrue(report.failures.isEmpty, "\(report.failures)")
            return try runs.map { try String(contentsOf: store.directory(for: $0).appendingPathComponent("metrics.csv"), encoding: .utf8) }
        }
        let alone = try metrics(jobs: 1), parallel = try metrics(jobs: 2)
        XCTAssertEqual(alone.count, 2)
        XCTAssertEqual(alone, parallel)
    }

    /// One run of a char-lm experiment on a 1-layer, width-16 decoder over the shipped sample.
    func runCharLM(_ experimentID: String, _ parameters: [String: ConfigValue]) throws -> (final: [String: Double], metrics: MetricsTable?) {
        guard DatasetRegistry.standard.samplesDirectory != nil else { throw XCTSkip("the repository's datasets/ folder was not found") }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("htc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        var all: [String: ConfigValue] = ["model": try .json(CharLMConfig.Model(layers: 1, width: 16, heads: 2, context: 16)),
                                          "data": "sample", "batch": 4]
        all.merge(parameters) { $1 }
        let run = RunConfig(paper: "heavy-tailed-clipping", experiment: experimentID, group: "g", seed: 0, parameters: all)
        let experiment = experimentID == CharLMExperiment.id
            ? Experiment(id: experimentID, title: "t", runs: [run], parameters: CharLMExperiment.Run.self, execute: CharLMExperiment.execute)
            : Experiment(id: experimentID, title: "t", runs: [run], parameters: GradientNoiseExperiment.Run.self, execute: GradientNoiseExperiment.execute)
        let store = RunStore(root: root)
        let report = Runner(store: store, jobs: 1, interactive: false, write: { _ in }).run([experiment], paper: "heavy-tailed-clipping")
        XCTAssertTrue(report.failures.isEmpty, "\(report.failures)")
        return (try XCTUnwrap(store.summary(run)).final, try store.metrics(run))
    }

    func finalGap(_ spec: OptimizerSpec, noise: NoiseSpec, steps: Int, seed: Int = 0) throws -> Double {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("htc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let run = RunConfig(paper: "heavy-tailed-clipping", experiment: SyntheticExperiment.id, group: "g", seed: seed, parameters: [
            "optimizer": .string(String(decoding: try encoder.encode(spec), as: UTF8.self)),
            "noise": .string(String(decoding: try encoder.encode(noise), as: UTF8.self)),
            "dimension": 10, "mu": 1.0, "l": 1.0, "start": 1.0, "steps": .int(steps), "logEvery": 10,
        ])
        let experiment = Experiment(id: SyntheticExperiment.id, title: "t", runs: [run], parameters: SyntheticExperiment.Run.self,
                                    execute: SyntheticExperiment.execute)
        let store = RunStore(root: root)
        let report = Runner(store: store, jobs: 1, interactive: false, write: { _ in }).run([experiment], paper: "heavy-tailed-clipping")
        XCTAssertTrue(report.failures.isEmpty, "\(report.failures)")
        return try XCTUnwrap(store.summary(run)?.final["gap"])
    }
}
