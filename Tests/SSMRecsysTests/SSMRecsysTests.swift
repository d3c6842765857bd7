import Engine
import Foundation
import InputFuzzing
import Suite
import XCTest
@testable import SSMRecsys
import Tasks

extension RecsysConfig {
    /// The sweep `reproductions/ssm-recsys/experiments.yaml` ships (validated as it loads).
    static func shipped() throws -> RecsysConfig {
        try ConfigFile.load(RecsysConfig.self, from: projectRoot.appendingPathComponent("reproductions/ssm-recsys/experiments.yaml"))
    }
}

final class SSMRecsysTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testAblationPathsRunFromTheEarlierProtocolThroughTheFullQualityProtocolToRecBoles() throws {
        let experiment = try AblationExperiment.make(RecsysConfig.shipped(), scale: .full, paper: "ssm-recsys")
        XCTAssertEqual(experiment.runs.count, try RecsysConfig.shipped().ablations.count)
        let quality = try QualityExperiment.make(RecsysConfig.shipped(), scale: .full, paper: "ssm-recsys")
        func run(_ variant: String) throws -> QualityExperiment.Run {
            try XCTUnwrap(experiment.runs.first { $0.group == AblationExperiment.group(variant).name }).typed(QualityExperiment.Run.self)
        }
        func qualityRun(_ model: String) throws -> QualityExperiment.Run {
            try XCTUnwrap(quality.runs.first { $0.group == QualityExperiment.group(model).name }).typed(QualityExperiment.Run.self)
        }
        // Each path starts at the earlier protocol (256 windows per step, SASRec's own pre-norm block) at the official budget…
        let plain = try run("SASRec")
        XCTAssertNil(plain.model.norm)
        XCTAssertNil(plain.samples)
        XCTAssertEqual(plain.batch, 256)
        XCTAssertNil(try run("GRU4Rec").samples)
        // …passes through the full-scale quality protocol of its model…
        for (step, model) in [("SASRec post-norm, 2048 targets per step", "SASRec"), ("GRU4Rec, 2048 targets per step", "GRU4Rec")] {
            XCTAssertEqual(try run(step), try qualityRun(model), step)
        }
        // …and SASRec's ends at RecBole's: the same model on prefixes, 2048 per step.
        let end = try run("SASRec post-norm, prefixes")
        XCTAssertEqual(end.samples, .prefixes)
        XCTAssertEqual(end.batchBy ?? .samples, .samples)
        XCTAssertEqual(end.batch, 2048)
        XCTAssertEqual(plain.maxEpochs, 300)
        XCTAssertEqual(plain.patience, 10)
    }

    /// Trains `model` briefly on the shipped sample and returns its run's final metrics.
    func train(_ model: RecommenderSpec, epochs: Int, seed: Int = 0) throws -> [String: Double] {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ssm-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        var config = try RecsysConfig.shipped()
        config.models = [model]
        config.quality.quick = QualitySweep(data: .sample, maxLength: 20, batch: 32, maxEpochs: epochs, patience: epochs,
                                            optimizer: .init(method: .adam, lr: 1e-2), seeds: 1)
        let experiment = try QualityExperiment.make(config, scale: .quick, paper: "ssm-recsys")
        let first = experiment.runs[0]
        let run = RunConfig(paper: first.paper, experiment: first.experiment, group: first.group, seed: seed, parameters: first.parameters)
        let store = RunStore(root: root)
        let report = Runner(store: store, jobs: 1, interactive: false, write: { _ in })
            .run([Experiment(id: experiment.id, title: experiment.title, runs: [run], execute: experiment.execute)], paper: "ssm-recsys")
        XCTAssertTrue(report.failures.isEmpty, "\(report.failures)")
        return try XCTUnwrap(store.summary(run)).final
    }

    func testShortTrainingBeatsThePopularityRanking() throws {
        let popularity = try train(RecommenderSpec(name: "pop", kind: .popularity), epochs: 1)
        for spec in [RecommenderSpec(name: "mamba", kind: .mamba4rec, width: 16, stateSize: 8),
                     RecommenderSpec(name: "sasrec", kind: .sasrec, width: 16),
                     RecommenderSpec(name: "gru", kind: .gru4rec, width: 16)] {
            let trained = try train(spec, epochs: 6)
            XCTAssertGreaterThan(try XCTUnwrap(trained["best_test_ndcg@10"]), 2 * (try XCTUnwrap(popularity["best_test_ndcg@10"])), spec.name)
        }
    }

    func testSameSeedGivesIdenticalMetricsAndAnotherSeedDoesNot() throws {
        let spec = RecommenderSpec(name: "mamba", kind: .mamba4rec, width: 8, stateSize: 4)
        let (a, b, c) = (try train(spec, epochs: 2), try train(spec, epochs: 2), try train(spec, epochs: 2, seed: 1))
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a["best_val_ndcg@10"], c["best_val_ndcg@10"])
    }

    func testEfficiencyRepeatsMeasureEveryModelOncePerRepeat() throws {
        let config = try RecsysConfig.shipped()
        let experiment = try EfficiencyExperiment.make(config, scale: .full, paper: "ssm-recsys")
        let models = config.models.filter { $0.kind != .popularity }.map(\.name)
        let repeats = config.efficiency.full.repeatCount
        XCTAssertGreaterThan(repeats, 2, "the paired speed claim needs a few repeats to have an interval")
        // Model after model within a repeat, so the pairs are measured minutes apart.
        XCTAssertEqual(experiment.runs.map { "\($0.seed) \($0.group)" },
                       (0..<repeats).flatMap { seed in models.map { "\(seed) \(EfficiencyExperiment.group($0).name)" } })
    }

    func testGrowthExponentOfAPowerLaw() {
        let lengths = [50, 100, 200, 400]
        XCTAssertEqual(EfficiencyExperiment.growthExponent(lengths, lengths.map { 3 * pow(Double($0), 1.5) }), 1.5, accuracy: 1e-12)
    }
}
