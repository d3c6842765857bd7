import Engine
import Foundation
import Suite
import TestSupport
import XCTest
@testable import SSMRecsys
import Tasks

final class PreferenceExperimentTests: XCTestCase {
    func testFineTuningStartsFromEachSeedsCheckpointAndORPODiffersFromCE() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ssm-orpo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        var config = try RecsysConfig.shipped()
        config.models = [RecommenderSpec(name: "Mamba4Rec", kind: .mamba4rec, width: 8, stateSize: 4)]
        config.orpoMethods = [FineTuningMethod(name: SSMRecsys.crossEntropy), FineTuningMethod(name: "ORPO", rejected: .hardest, lambda: 1),
                              FineTuningMethod(name: "ORPO zero", rejected: .sampled, lambda: 0)]
        config.orpo.quick = PreferenceSweep(data: .sample, maxLength: 20, model: "Mamba4Rec", batch: 32, pretrainEpochs: 2,
                                            pretrainOptimizer: .init(method: .adam, lr: 1e-2), epochs: 1,
                                            optimizer: .init(method: .adam, lr: 1e-3), seeds: 2)
        let experiments = try PreferenceExperiment.make(config, scale: .quick, paper: "ssm-recsys")
        let store = RunStore(root: root)
        let report = Runner(store: store, jobs: 2, interactive: false, write: { _ in }).run(experiments, paper: "ssm-recsys")
        XCTAssertTrue(report.failures.isEmpty, "\(report.failures)")
        let results = ResultSet(paper: "ssm-recsys", scale: .quick, experiments: experiments, store: store)
        let pretrained = try results.finalValues(PreferenceExperiment.pretrainID, group: "model=Mamba4Rec", metric: "val_ndcg@10")
        XCTAssertNotEqual(pretrained[0], pretrained[1])
        for method in [SSMRecsys.crossEntropy, "ORPO", "ORPO zero"] {
            XCTAssertEqual(try results.fineTuned(method, "start_val_ndcg@10"), pretrained, "\(method) starts from its seed's checkpoint")
        }
        let (ce, orpo, zero) = (try results.fineTuned(SSMRecsys.crossEntropy, "best_val_ndcg@10"), try results.fineTuned("ORPO", "best_val_ndcg@10"),
                                try results.fineTuned("ORPO zero", "best_val_ndcg@10"))
        XCTAssertNotEqual(ce, orpo)
        // λ = 0 is cross-entropy up to rounding: the same batches give (nearly) the same model.
        for (a, b) in zip(ce, zero) { XCTAssertEqual(a, b, accuracy: 2e-3) }
    }

    /// The pre-training stopped after its first epoch and continued ends with the metrics and
    /// parameters of one never stopped, bit for bit.
    func testAResumedPretrainingIsBitIdenticalToAnUninterruptedOne() throws {
        var config = try RecsysConfig.shipped()
        config.models = [RecommenderSpec(name: "Mamba4Rec", kind: .mamba4rec, width: 8, stateSize: 4)]
        config.orpo.quick = PreferenceSweep(data: .sample, maxLength: 20, model: "Mamba4Rec", batch: 32, pretrainEpochs: 3,
                                            pretrainOptimizer: .init(method: .adam, lr: 1e-2), epochs: 1,
                                            optimizer: .init(method: .adam, lr: 1e-3), seeds: 1)
        let pretraining = try PreferenceExperiment.make(config, scale: .quick, paper: "ssm-recsys").filter { $0.id == PreferenceExperiment.pretrainID }
        let attempts = Attempts(pretraining, paper: "ssm-recsys")
        let (whole, stopped) = attempts.wholeAndStopped(at: [1])
        XCTAssertEqual(whole.executed, 1)
        XCTAssertEqual(stopped.map(\.saved.count), [1, 0])
        XCTAssertEqual(stopped.map(\.resumed.count), [0, 1])
        let run = try XCTUnwrap(pretraining.first?.runs.first)
        for file in ["metrics.csv", PreferenceExperiment.parametersFile] {
            XCTAssertEqual(try attempts.file(file, of: run, in: "stopped"), try attempts.file(file, of: run, in: "whole"), file)
        }
    }

    func testMethodNeedsBothOrNeitherOfRejectedAndLambda() {
        XCTAssertThrowsError(try FineTuningMethod(name: "half", rejected: .hardest).validate())
        XCTAssertThrowsError(try FineTuningMethod(name: "neg", rejected: .sampled, lambda: -1).validate())
        XCTAssertNoThrow(try FineTuningMethod(name: "CE").validate())
    }
}
