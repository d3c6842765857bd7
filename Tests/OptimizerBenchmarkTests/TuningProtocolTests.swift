import Engine
import Foundation
@testable import OptimizerBenchmark
import Suite
import TestSupport
import XCTest

/// The tuning protocol on a small config: the grid, the choice, and that a final run is a training
/// run of the chosen step size on a fresh seed.
final class TuningProtocolTests: XCTestCase {
    func testLearningRateGridIsLogSpacedAndRoundedToThreeDigits() {
        XCTAssertEqual(LearningRateGrid(low: 1e-4, high: 1e-2, perDecade: 2).values, [1e-4, 3.16e-4, 1e-3, 3.16e-3, 1e-2])
        XCTAssertEqual(LearningRateGrid(low: 0.01, high: 1, perDecade: 1).values, [0.01, 0.1, 1])
        XCTAssertEqual(LearningRateGrid(low: 0.5, high: 0.5, perDecade: 3).values, [0.5])
    }

    func testChoiceTakesTheSmallestMeanAndGivesTiesAndDivergenceToTheSmallerStep() {
        XCTAssertEqual(TuningProtocol.choose([(0.1, [2, 4]), (0.01, [3, 3.5]), (1, [1, .infinity])], .lower), 0.1, "means 3, 3.25, ∞")
        XCTAssertEqual(TuningProtocol.choose([(0.1, [2, 4]), (0.01, [3, 3])], .lower), 0.01, "a tie goes to the smaller step")
        XCTAssertEqual(TuningProtocol.choose([(0.1, [.infinity]), (0.01, [.infinity])], .lower), 0.01, "every run diverged")
        XCTAssertNil(TuningProtocol.choose([], .lower))
    }

    func testAScoreIsChosenByTheLargestMeanAndADivergedRunIsItsWorst() {
        XCTAssertEqual(TuningProtocol.choose([(0.1, [0.2, 0.4]), (0.01, [0.3, 0.35]), (1, [0.9, -.infinity])], .higher), 0.01,
                       "means 0.3, 0.325, −∞")
        XCTAssertEqual(TuningProtocol.choose([(0.1, [0.25, 0.75]), (0.01, [0.5, 0.5])], .higher), 0.01, "a tie goes to the smaller step")
        XCTAssertEqual(TuningProtocol.choose([(0.1, [-.infinity]), (0.01, [-.infinity])], .higher), 0.01, "every run diverged")
        XCTAssertTrue(MetricDirection.higher.reaches(0.05, target: 0.05) && !MetricDirection.higher.reaches(0.04, target: 0.05))
        XCTAssertTrue(MetricDirection.lower.reaches(0.2, target: 0.2) && !MetricDirection.lower.reaches(0.21, target: 0.2))
        XCTAssertEqual(WorkloadSpec(name: "r", recommender: .init(model: .init(name: "S", kind: .sasrec), data: .sample, maxLength: 8, batch: 4),
                                    steps: 1, evalEvery: 1).direction, .higher)
    }

    func testAnOptimizerEntryTakesEveryHyperParameterButTheStepSize() throws {
        let entry = try ConfigFile.decode(TunableOptimizer.self, yaml: "{name: C, method: clip-radagradd, clip: 2, eta: 0.25, b0: 1, coordinateWise: true}", file: "t.yaml")
        XCTAssertEqual(entry.spec(lr: 0.3), OptimizerSpec(method: "clip-radagradd", lr: 0.3, clip: 2, eta: 0.25, b0: 1, coordinateWise: true))
        XCTAssertEqual(try ConfigFile.decode(TunableOptimizer.self, yaml: "{method: adam}", file: "t.yaml").name, "adam", "the name defaults to the method")
        XCTAssertThrowsError(try ConfigFile.decode(TunableOptimizer.self, yaml: "{name: A, method: adam, lr: 0.1}", file: "t.yaml")) { error in
            XCTAssertTrue("\(error)".contains("the step size is what the benchmark tunes"), "\(error)")
        }
        XCTAssertThrowsError(try ConfigFile.decode(TunableOptimizer.self, yaml: "{name: A, method: adam, momentum: 0.9}", file: "t.yaml")) { error in
            XCTAssertTrue("\(error)".contains("'momentum'") || "\(error)".contains("momentum"), "\(error)")
        }
    }

    /// Two optimizers on the Pareto quadratic, a grid of three step sizes and two tuning seeds.
    static let smallConfig = """
        optimizers:
          - {name: SGD, method: sgd, beta: 0.9}
          - {name: Clip-SGD, method: clip-sgd, beta: 0.9, clip: 1}
        quick: &sweep
          tuningSeeds: 2
          finalSeeds: 2
          workloads:
            - name: quadratic-pareto
              quadratic: {problem: {dimension: 20, mu: 0.1, l: 1, start: 1}, noise: {kind: pareto, sigma: 1, tail: 1.5}}
              steps: 60
              evalEvery: 20
              target: 1
              lrGrid: {low: 0.01, high: 1, perDecade: 1}
              noise: {optimizer: {method: sgd, lr: 0.01}, checkpoints: [0], samples: 50, referenceBatches: 0}
        full: *sweep
        """

    static func project(_ yaml: String) throws -> (Workspace, URL) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("benchmark-\(UUID().uuidString)")
        let folder = root.appendingPathComponent("reproductions/optimizer-benchmark")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try yaml.write(to: folder.appendingPathComponent("experiments.yaml"), atomically: true, encoding: .utf8)
        return (Workspace(catalog: [OptimizerBenchmark()], root: root, log: { _ in }), root)
    }

    func testFinalRunsTrainTheStepSizeTheTuningRunsChoseOnFreshSeeds() throws {
        let (workspace, root) = try Self.project(Self.smallConfig)
        defer { try? FileManager.default.removeItem(at: root) }
        let paper = try workspace.reproduction("optimizer-benchmark")
        let experiments = try workspace.experiments(paper, scale: .quick)
        let report = try workspace.run(paper, experiments: experiments, runner: Runner(store: workspace.store, jobs: 2, interactive: false, write: { _ in }))
        XCTAssertTrue(report.failures.isEmpty, "\(report.failures)")
        let tune = try XCTUnwrap(experiments.first { $0.id == "tune" }), final = try XCTUnwrap(experiments.first { $0.id == "final" })
        XCTAssertEqual(tune.runs.count, 2 * 3 * 2)
        XCTAssertEqual(Set(tune.runs.map(\.seed)), [1000, 1001])
        XCTAssertEqual(Set(final.runs.map(\.seed)), [0, 1])
        for optimizer in ["SGD", "Clip-SGD"] {
            // The choice, by hand: the smallest mean final gap over the two tuning seeds.
            var means: [(lr: Double, mean: Double)] = []
            for lr in [0.01, 0.1, 1.0] {
                let runs = tune.runs.filter { $0.group == TuningProtocol.tuneGroup("quadratic-pareto", optimizer, lr: lr).name }
                let values = try runs.map { run -> Double in
                    let summary = try XCTUnwrap(try workspace.store.summary(run))
                    return summary.diverged ? .infinity : try XCTUnwrap(summary.final["val"])
                }
                means.append((lr, values.contains(.infinity) ? .infinity : values.reduce(0, +) / 2))
            }
            // The step as the spec holds it (a Float), as the final run reports it.
            let chosen = Double(Float(means.min { $0.mean < $1.mean }!.lr))
            for run in final.runs where run.group == TuningProtocol.finalGroup("quadratic-pareto", optimizer).name {
                let summary = try XCTUnwrap(try workspace.store.summary(run))
                XCTAssertEqual(summary.final["lr"], chosen, "\(optimizer): means \(means)")
                // The same training, run as a plain run of the chosen step size with the final run's
                // seed (and experiment, which names the seed's stream).
                let training = try run.typed(TuningProtocol.FinalRun.self).candidates
                    .map { try $0.typed(TuningProtocol.TrainingRun.self) }.first { Double($0.optimizer.lr) == chosen }!
                let plain = try RunConfig(paper: "optimizer-benchmark", experiment: "final", group: .named("check"), seed: run.seed, typed: training)
                let store = RunStore(root: root.appendingPathComponent("plain"))
                let experiment = Experiment(id: "final", title: "", runs: [plain], parameters: TuningProtocol.TrainingRun.self) {
                    try TuningProtocol.train($0, $1, registry: .standard)
                }
                _ = Runner(store: store, jobs: 1, interactive: false, write: { _ in }).run([experiment], paper: "optimizer-benchmark")
                XCTAssertEqual(try store.metrics(plain).column("val"), try workspace.store.metrics(run).column("val"))
            }
        }
    }

    /// Trains `workload` whole and stopped after each of its first two checkpoints, and requires
    /// the continued run to log the same `columns` at every evaluation and end with the same summary.
    func assertStoppedRunContinuesToTheSameCurve(_ workload: WorkloadSpec, _ optimizer: OptimizerSpec, seed: Int, columns: [String],
                                                  file: StaticString = #filePath, line: UInt = #line) throws {
        let run = try RunConfig(paper: "optimizer-benchmark", experiment: "tune", group: .named("resume"), seed: seed,
                                typed: TuningProtocol.TrainingRun(optimizer: optimizer, workload: workload))
        let experiment = Experiment(id: "tune", title: "", runs: [run], parameters: TuningProtocol.TrainingRun.self) {
            try TuningProtocol.train($0, $1, registry: .standard)
        }
        let attempts = Attempts([experiment], paper: "optimizer-benchmark")
        let (whole, stopped) = attempts.wholeAndStopped(at: [1, 1])
        XCTAssertEqual(whole.executed, 1, file: file, line: line)
        XCTAssertEqual(stopped.map(\.saved.count), [1, 1, 0], file: file, line: line)
        XCTAssertEqual(stopped.map(\.resumed.count), [0, 1, 1], file: file, line: line)
        XCTAssertEqual(try attempts.store("stopped").metrics(run).column("step"),
                       stride(from: 0, through: workload.steps, by: workload.evalEvery).map(Double.init), file: file, line: line)
        for column in columns {
            XCTAssertEqual(try attempts.store("stopped").metrics(run).column(column), try attempts.store("whole").metrics(run).column(column),
                           column, file: file, line: line)
        }
        XCTAssertEqual(try attempts.store("stopped").summary(run)?.final, try attempts.store("whole").summary(run)?.final, file: file, line: line)
    }

    func testAStoppedTrainingRunContinuesToTheSameCurve() throws {
        let workload = WorkloadSpec(name: "llama", languageModel: .init(model: .init(layers: 1, width: 16, heads: 2, context: 16, style: .llama),
                                                                      data: .sample, batch: 4, evalBatches: 1),
                                    steps: 30, evalEvery: 10)
        try assertStoppedRunContinuesToTheSameCurve(workload, OptimizerSpec(method: "adam", lr: 3e-3), seed: 3, columns: ["val"])
    }

    /// The image workload keeps state beyond the parameters (batch-norm running statistics, the
    /// step count its boundaries read): a continued run must still compute the same bits.
    func testAStoppedImageRunWithTopKBoundariesContinuesToTheSameCurve() throws {
        let spec = ImageWorkload.Spec(model: .init(inputChannels: 1, height: 28, width: 28, classes: 10, baseWidth: 4, blocks: [1, 1, 1, 1]),
                                      boundary: BoundarySpec(forward: .topK(0.1), backward: .topK(0.1)), data: .sample, trainSize: 64,
                                      validationSize: 16, batch: 8)
        // The error of 16 images moves in steps of 1/16; the loss shows every bit.
        try assertStoppedRunContinuesToTheSameCurve(WorkloadSpec(name: "resnet", image: spec, steps: 12, evalEvery: 4),
                                                    OptimizerSpec(method: "sgd", lr: 0.05, beta: 0.9), seed: 5, columns: ["val", "val_loss"])
    }

    /// SASRec's dropout draws from a stream keyed by the workload's step count, which a checkpoint
    /// must carry for a continued run to draw the same masks.
    func testAStoppedRecommenderRunContinuesToTheSameCurve() throws {
        let spec = RecommenderWorkload.Spec(model: .init(name: "SASRec", kind: .sasrec, layers: 1, width: 16), data: .sample, maxLength: 20,
                                            batch: 8, validationUsers: 50)
        try assertStoppedRunContinuesToTheSameCurve(WorkloadSpec(name: "sasrec", recommender: spec, steps: 9, evalEvery: 3),
                                                    OptimizerSpec(method: "adam", lr: 3e-3), seed: 4, columns: ["val", "hr@10", "mrr@10"])
    }
}
