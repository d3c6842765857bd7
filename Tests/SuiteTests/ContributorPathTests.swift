import Demo
import Engine
import Foundation
import XCTest
@testable import Suite
import TestSupport

/// The three paths of CONTRIBUTING.md, each walked with a tiny example: an optimizer, a claim, a
/// paper. If one of these needs more than the guide says, the guide is wrong.
final class ContributorPathTests: XCTestCase {
    // MARK: An optimizer: its file, its test, a line in the registry, a YAML line.

    /// x_{t+1} = x_t − γ·(‖g_t‖₁/d)·sign(g_t): SignSGD scaled by the mean absolute gradient.
    struct ScaledSignSGD: Optimizer {
        var learningRate: Float

        mutating func step(_ parameters: ParameterStore) {
            parameters.withValuesAndGrads { x, g in
                let scale = g.reduce(0) { $0 + abs($1) } / Float(g.count)
                for i in 0..<x.count { x[i] -= learningRate * scale * (g[i] > 0 ? 1 : g[i] < 0 ? -1 : 0) }
            }
        }

        static let definition = OptimizerDefinition("scaled-signsgd", clippable: true) { spec, _ in ScaledSignSGD(learningRate: spec.lr) }
    }

    func testAnOptimizerIsItsDefinitionAndAYAMLLine() throws {
        let registry = OptimizerRegistry(OptimizerRegistry.standard.definitions + [ScaledSignSGD.definition])
        struct Sweep: Decodable { var optimizer: OptimizerSpec; var clipped: OptimizerSpec }
        let yaml = """
            optimizer: {method: scaled-signsgd, lr: 0.5}
            clipped: {method: scaled-signsgd, lr: 0.5, clip: 1}
            """
        let sweep = try ConfigFile.decode(Sweep.self, yaml: yaml, file: "experiments.yaml")
        func step(_ spec: OptimizerSpec) throws -> [Float] {
            var optimizer = try spec.make(in: registry)
            let store = ParameterStore(vector: Tensor(shape: [2], [1, 1]))
            store.grads = Tensor(shape: [2], [3, -4])
            optimizer.step(store)
            return store.values.scalars
        }
        // ‖g‖₁/d = 3.5: x = (1, 1) − 0.5·3.5·(1, −1).
        XCTAssertEqual(try step(sweep.optimizer), [-0.75, 2.75])
        // Clipped to norm 1 first, g = (0.6, −0.8): ‖g‖₁/d = 0.7.
        XCTAssertEqual(try step(sweep.clipped)[0], 0.65, accuracy: 1e-6)
        XCTAssertThrowsError(try sweep.optimizer.make(), "the standard registry does not know it until its line is added")
    }

    // MARK: A claim: one function.

    /// The demo with one more claim; a paper adds it to its claims list the same way.
    struct DemoWithClaim: Reproduction {
        let demo = LeastSquaresDemo()
        var id: String { demo.id }
        var title: String { demo.title }
        var citation: String { demo.citation }
        var officialCode: [CodeLink] { demo.officialCode }
        var datasets: [String] { demo.datasets }
        func experiments(scale: Scale, configDirectory: URL) throws -> [Experiment] { try demo.experiments(scale: scale, configDirectory: configDirectory) }
        var figures: [FigureRequest] { demo.figures }
        var tables: [TableRequest] { demo.tables }
        var claims: [Claim] {
            demo.claims + [Claim(id: "adam-within-twice-sgd", source: "demo", statement: "Adam's mean final loss is below twice SGD's",
                                 experiments: ["fit"]) { results in
                func loss(_ method: String) throws -> RunValues {
                    try results.runValues("fit", group: try results.groups("fit", by: "method").first { $0.value == method }!.group, metric: "loss")
                }
                return .init(.meanRatio("mean final loss ratio Adam / SGD", try loss("adam"), try loss("sgd"), .below, 2))
            }]
        }
    }

    func testAClaimIsOneFunctionThatCheckAndTheClaimsFileShow() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let workspace = sandbox.workspace([DemoWithClaim()])
        let paper = DemoWithClaim()
        let experiments = try workspace.experiments(paper, scale: .quick)
        _ = try workspace.run(paper, experiments: experiments, runner: sandbox.runner(workspace))
        var report = CheckReport()
        try report.compare(try workspace.results(paper, scale: .quick, experiments: experiments), with: nil, claims: paper.claims)
        let row = try XCTUnwrap(report.rows.first { $0.item.hasPrefix("claim adam-within-twice-sgd") })
        XCTAssertEqual(row.claimVerdict, .holds, report.table())
        let file = ClaimsFile(paper: paper.id, scale: .quick, claims: paper.claims.map {
            ClaimResult.evaluate($0, on: try! workspace.results(paper, scale: .quick, experiments: experiments))
        })
        let written = try file.write(into: sandbox.root.appendingPathComponent("plots"), claims: paper.claims)
        XCTAssertEqual(try ClaimsFile.read(written[0]).claims.last?.id, "adam-within-twice-sgd")
    }

    // MARK: A paper: its folder, its YAML and README, one catalog line.

    /// Gradient descent on f(x) = x²/2 from x₀ = 1 with each step size of the YAML.
    struct TinyPaper: Reproduction {
        struct Config: Decodable, ValidatedConfig {
            var steps: Int
            var seeds: Int
            var rates: [Double]
            func validate() throws {
                try ConfigCheck("tiny-paper").counts(["steps": steps, "seeds": seeds])
            }
        }

        struct Run: RunParameters {
            var rate: Double
            var steps: Int
        }

        var id: String { "tiny-paper" }
        var title: String { "gradient descent on a parabola" }
        var citation: String { "none" }
        var officialCode: [CodeLink] { [] }
        var datasets: [String] { [] }

        func experiments(scale: Scale, configDirectory: URL) throws -> [Experiment] {
            let config = try ConfigFile.load(Config.self, from: configDirectory.appendingPathComponent("experiments.yaml"))
            let runs = try config.rates.flatMap { rate in
                try (0..<config.seeds).map { seed in
                    try RunConfig(paper: id, experiment: "descent", group: RunGroup(["rate": "\(rate)"]), seed: seed,
                                  typed: Run(rate: rate, steps: config.steps))
                }
            }
            return [Experiment(id: "descent", title: "gradient descent", runs: runs, parameters: Run.self) { run, context in
                var noise = context.rng.stream("start")
                var x = 1 + 0.01 * noise.normal()
                for step in 0...run.steps {
                    try context.log(step: step, ["f": x * x / 2])
                    x -= run.rate * x
                }
            }]
        }

        var figures: [FigureRequest] { [] }
        var claims: [Claim] {
            [Claim(id: "larger-step-faster", source: "tiny", statement: "step 0.5 ends below step 0.1", experiments: ["descent"]) { r in
                let groups = try r.groups("descent", by: "rate")
                func f(_ rate: String) throws -> RunValues { try r.runValues("descent", group: groups.first { $0.value == rate }!.group, metric: "f") }
                return .init(.meanRatio("final f ratio 0.5 / 0.1", try f("0.5"), try f("0.1"), .below, 1))
            }]
        }
    }

    func testAPaperIsItsFolderItsYAMLAndACatalogLine() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let workspace = sandbox.workspace([LeastSquaresDemo(), TinyPaper()])
        let folder = workspace.configDirectory(TinyPaper())
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("steps: 20\nseeds: 3\nrates: [0.1, 0.5]\n".utf8).write(to: folder.appendingPathComponent("experiments.yaml"))
        let paper = try workspace.reproduction("tiny-paper")
        let runner = sandbox.runner(workspace)
        _ = try workspace.baseline(paper, runner: runner)
        let report = try workspace.check([paper], runner: runner)
        XCTAssertTrue(report.passed, report.table())
        XCTAssertEqual(report.rows.first { $0.isClaim }?.claimVerdict, .holds)
    }
}
