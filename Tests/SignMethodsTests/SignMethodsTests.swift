import Engine
import Foundation
import InputFuzzing
import Suite
import Tasks
import TestSupport
import XCTest
@testable import SignMethods

final class SignMethodsTests: XCTestCase {
    /// The shipped config with `original` replaced by `broken`: the error message it gives.
    func configError(replacing original: String, with broken: String) throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("reproductions/sign-methods/experiments.yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        XCTAssertTrue(text.contains(original), "the shipped config no longer contains \(original)")
        do {
            _ = try ConfigFile.decode(SignMethodsConfig.self, yaml: text.replacingOccurrences(of: original, with: broken), file: "experiments.yaml")
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    func testBadConfigValuesAreRejectedWithTheirPlaceBeforeAnyRun() throws {
        XCTAssertEqual(try configError(replacing: "quick: {steps: 1000,", with: "quick: {steps: -5,"),
                       "experiments.yaml: sign-methods synthetic: quick.steps must be ≥ 1, got -5")
        XCTAssertEqual(try configError(replacing: "quick: {calls: 10000, seeds: 40,", with: "quick: {calls: 10000, seeds: 0,"),
                       "experiments.yaml: sign-methods comparison: quick.seeds must be ≥ 1, got 0")
        let unknown = try configError(replacing: "method: signsgd,", with: "method: signsgdd,")
        XCTAssertTrue(unknown.contains("'signsgdd' is not one of: sgd, clip-sgd,") && unknown.contains("m-signsgd"), unknown)
        let syntax = try configError(replacing: "quick: {steps: 1000, seeds: 40, logEvery: 20}", with: "quick: {steps: 1000, seeds: 40, logEvery: 20")
        XCTAssertTrue(syntax.hasPrefix("experiments.yaml: not valid YAML: 30:7:"), syntax)
    }

    func testShippedConfigIsValid() throws {
        XCTAssertNoThrow(try ConfigFile.load(SignMethodsConfig.self, from: projectRoot.appendingPathComponent("reproductions/sign-methods/experiments.yaml")))
    }

    func testVotingRunsSendOneBitPerCoordinateAndFloatRunsThirtyTwo() throws {
        let problem = QuadraticSpec(dimension: 4, mu: 1, l: 1, start: 1)
        let sign = try run(SignSyntheticExperiment.id, [
            "optimizer": try .json(OptimizerSpec(method: .signSGD, lr: 0.01)), "noise": try .json(NoiseSpec(kind: .gaussian)),
            "problem": try .json(problem), "workers": 3, "batch": 1, "steps": 10, "logEvery": 5])
        XCTAssertEqual(sign.column("bits"), [0, 20, 40])
        let float = try run(SignSyntheticExperiment.id, [
            "optimizer": try .json(OptimizerSpec(method: .sgd, lr: 0.01)), "noise": try .json(NoiseSpec(kind: .gaussian)),
            "problem": try .json(problem), "workers": 3, "batch": 2, "steps": 10, "logEvery": 5])
        XCTAssertEqual(float.column("bits"), [0, 640, 1280])
        XCTAssertEqual(float.column("samples"), [0, 10, 20])
    }

    func testMajorityVoteOfManyWorkersBeatsOneUnderCauchyNoise() throws {
        // Symmetric noise with no mean at all: one worker's sign is right only a bit more often than
        // not, eleven workers' majority much more often (§4).
        func finalNorm(workers: Int) throws -> Double {
            let table = try run(SignSyntheticExperiment.id, [
                "optimizer": try .json(OptimizerSpec(method: .signSGD, lr: 0.01)), "noise": try .json(NoiseSpec(kind: .cauchy)),
                "problem": try .json(QuadraticSpec(dimension: 10, mu: 1, l: 1, start: 1)), "workers": .int(workers), "batch": 1,
                "steps": 300, "logEvery": 300])
            return try XCTUnwrap(table.column("grad_norm")?.last)
        }
        XCTAssertLessThan(try finalNorm(workers: 11), 0.5 * (try finalNorm(workers: 1)))
    }

    func testComparisonRunsLogAgainstOracleCalls() throws {
        let parameters: [String: ConfigValue] = [
            "kind": "comparison", "lr": 0.05, "votes": 3, "smoothing": 0.01, "noise": try .json(NoiseSpec(kind: .gaussian, sigma: 1e-4)),
            "problem": try .json(QuadraticSpec(dimension: 5, mu: 1, l: 1, start: 1)), "calls": 300, "logEvery": 100]
        let table = try run(ComparisonExperiment.id, parameters)
        XCTAssertEqual(table.column("step"), [0, 102, 201, 300])
        let gaps = try XCTUnwrap(table.column("gap"))
        XCTAssertLessThan(gaps.last!, 0.2 * gaps.first!)
    }

    func testLanguageModelVoteSendsOneBitPerParameterAndLearns() throws {
        func lm(vote: Bool) throws -> MetricsTable {
            try run(LanguageModelExperiment.id, [
                "optimizer": try .json(OptimizerSpec(method: .mSignSGD, lr: 3e-3, beta: 0.9)), "vote": .bool(vote), "workers": 2,
                "model": try .json(CharacterLMTask.Model(layers: 1, width: 16, heads: 2, context: 16, style: .llama)),
                "data": "sample", "steps": 30, "batch": 4, "evalEvery": 30, "evalBatches": 2])
        }
        let (voted, float) = (try lm(vote: true), try lm(vote: false))
        let votedBits = try XCTUnwrap(voted.column("bits")), floatBits = try XCTUnwrap(float.column("bits"))
        XCTAssertEqual(floatBits.last!, 32 * votedBits.last!)
        XCTAssertEqual(votedBits.last!.truncatingRemainder(dividingBy: 30), 0, "30 steps of one bit per parameter")
        let losses = try XCTUnwrap(voted.column("val_loss"))
        XCTAssertLessThan(losses.last!, losses.first! - 0.2)
    }

    /// Language-model runs stopped at their first and third logged steps and continued log the same
    /// rows and results as runs never stopped: a vote of two momentum workers and one Adam.
    func testAResumedLanguageModelRunIsBitIdenticalToAnUninterruptedOne() throws {
        let runs = try [(OptimizerSpec(method: .mSignSGD, lr: 3e-3, beta: 0.9), true), (OptimizerSpec(method: .adam, lr: 3e-3), false)].enumerated()
            .map { index, setting in
                RunConfig(paper: "sign-methods", experiment: LanguageModelExperiment.id, group: "g\(index)", seed: 2, parameters: [
                    "optimizer": try .json(setting.0), "vote": .bool(setting.1), "workers": 2,
                    "model": try .json(CharacterLMTask.Model(layers: 1, width: 16, heads: 2, context: 16, style: .llama)),
                    "data": "sample", "steps": 20, "batch": 4, "evalEvery": 5, "evalBatches": 1])
            }
        for run in runs {
            let experiment = Experiment(id: LanguageModelExperiment.id, title: "t", runs: [run], parameters: LanguageModelExperiment.Run.self,
                                        execute: LanguageModelExperiment.execute)
            let attempts = Attempts([experiment], paper: "sign-methods")
            let (whole, stopped) = attempts.wholeAndStopped(at: [1, 2])
            XCTAssertEqual(whole.executed, 1, run.group)
            XCTAssertEqual(stopped.map(\.saved.count), [1, 1, 0], run.group)
            XCTAssertEqual(stopped.map(\.resumed.count), [0, 1, 1], run.group)
            XCTAssertEqual(try attempts.file("metrics.csv", of: run, in: "stopped"), try attempts.file("metrics.csv", of: run, in: "whole"), run.group)
            XCTAssertEqual(try attempts.store("stopped").summary(run)?.final, try attempts.store("whole").summary(run)?.final, run.group)
        }
    }

    func run(_ experiment: String, _ parameters: [String: ConfigValue]) throws -> MetricsTable {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sign-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let config = RunConfig(paper: "sign-methods", experiment: experiment, group: "g", seed: 0, parameters: parameters)
        let body: Experiment
        switch experiment {
        case ComparisonExperiment.id:
            body = Experiment(id: experiment, title: "t", runs: [config], parameters: ComparisonExperiment.Run.self, execute: ComparisonExperiment.execute)
        case LanguageModelExperiment.id:
            body = Experiment(id: experiment, title: "t", runs: [config], parameters: LanguageModelExperiment.Run.self,
                              execute: LanguageModelExperiment.execute)
        default:
            body = Experiment(id: experiment, title: "t", runs: [config], parameters: SignSyntheticExperiment.Run.self,
                              execute: SignSyntheticExperiment.execute)
        }
        let store = RunStore(root: root)
        let report = Runner(store: store, jobs: 1, interactive: false, write: { _ in }).run([body], paper: "sign-methods")
        XCTAssertTrue(report.failures.isEmpty, "\(report.failures)")
        return try store.metrics(config)
    }
}
