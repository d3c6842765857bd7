import Engine
import Figures
import Foundation
import Suite

/// The suite's own demo target, small but complete: SGD against Adam on a generated least-squares
/// problem min ½‖Ax − b‖²/n, five seeds at quick scale, one figure, one table, a claim that holds and
/// one that does not at quick scale, as declared. It runs in seconds, so `repro run
/// demo-least-squares` shows every command's output without waiting, and the suite's tests (the
/// Slurm and browser tests too) exercise the real binary with it.
public struct LeastSquaresDemo: Reproduction {
    public init() {}

    public var id: String { "demo-least-squares" }
    public var title: String { "SGD vs Adam on least squares (suite demo)" }
    public var citation: String { "none" }
    public var officialCode: [CodeLink] { [] }
    public var datasets: [String] { [] }

    /// `reproductions/demo-least-squares/experiments.yaml`.
    struct Config: Decodable, ValidatedConfig, ScaledSweeps {
        struct Settings: Decodable {
            var steps: Int
            var seeds: Int
            /// γ per method (sgd, adam).
            var learningRates: [String: Double]
        }
        var quick: Settings
        var full: Settings

        func validate() throws {
            let check = ConfigCheck("demo-least-squares")
            for (scale, settings) in sweeps {
                try check.counts(["steps": settings.steps], in: scale)
                try check.seeds(["seeds": settings.seeds], in: scale)
                try check(Set(settings.learningRates.keys) == ["sgd", "adam"],
                          "\(scale).learningRates must give sgd and adam, got \(settings.learningRates.keys.sorted())")
                for (method, lr) in settings.learningRates.sorted(by: { $0.key < $1.key }) {
                    try check(lr > 0 && lr.isFinite, "\(scale).learningRates.\(method) must be a positive number, got \(lr)")
                }
            }
        }
    }

    public func experiments(scale: Scale, configDirectory: URL) throws -> [Experiment] {
        let config = try ConfigFile.load(Config.self, from: configDirectory.appendingPathComponent("experiments.yaml"))
        let settings = config.sweep(scale)
        let runs = try Fit.Method.allCases.flatMap { method in
            try (0..<settings.seeds).map { seed in
                try RunConfig(paper: id, experiment: "fit", group: RunGroup(["method": method.rawValue]), seed: seed, typed: Fit(
                    method: method, lr: settings.learningRates[method.rawValue] ?? 0.05, steps: settings.steps, rows: 64, dim: 16))
            }
        }
        return [Experiment(id: "fit", title: "least squares, full-batch gradients", runs: runs, parameters: Fit.self, execute: Self.fit)]
    }

    /// One fit: `method` with step size `lr` for `steps` full-batch steps on a `rows` × `dim` problem.
    struct Fit: RunParameters {
        enum Method: String, Codable, CaseIterable { case sgd, adam }
        var method: Method
        var lr: Double
        var steps: Int
        var rows: Int
        var dim: Int
    }

    @Sendable static func fit(_ run: Fit, _ context: RunContext) throws {
        let (n, d, steps) = (run.rows, run.dim, run.steps)
        var data = context.rng.stream("data")
        let a = Tensor.normal([n, d], rng: &data)
        let b = Tensor.normal([n, 1], rng: &data)
        let store = ParameterStore(vector: Tensor(zeros: [d]))
        let lr = Float(run.lr)
        var optimizer: any Optimizer = run.method == .adam ? Adam(learningRate: lr) : SGD(learningRate: lr)
        for step in 0...steps {
            let residual = Tensor.matmul(a, store.values.reshaped([d, 1])).zip(b) { $0 - $1 }
            let loss = residual.scalars.reduce(0) { $0 + Double($1 * $1) } / Double(2 * n)
            if step % 5 == 0 || step == steps { try context.log(step: step, ["loss": loss]) }
            if step == steps { break }
            store.grads = Tensor.matmul(a, residual, transposeA: true).map { $0 / Float(n) }.reshaped([d])
            optimizer.step(store)
        }
    }

    public var figures: [FigureRequest] {
        [FigureRequest(id: "loss", title: "training loss", experiments: ["fit"]) { results in
            [FigureSpec(id: "loss", title: "Least squares: loss (median, 5-95% over seeds) \(try results.scaleTag("fit"))", xLabel: "step", yLabel: "loss", logY: true,
                        series: try results.groups("fit").map { try results.quantileBandSeries("fit", group: $0, metric: "loss") })]
        }]
    }

    public var tables: [TableRequest] {
        [TableRequest(id: "final-loss", title: "final loss", experiments: ["fit"]) { results in
            let groups = try results.groups("fit").map { (group: $0, label: [$0]) }
            return [ResultTable(id: "final-loss", title: "Least squares: final loss over seeds \(try results.scaleTag("fit"))",
                                columns: ["group", "runs", "diverged", "mean", "q0.5", "q0.9"],
                                rows: try results.finalQuantileRows("fit", groups: groups, metric: "loss", probabilities: [0.5, 0.9]))]
        }]
    }

    public var claims: [Claim] {
        [Claim(id: "adam-fits", source: "demo", statement: "Adam's mean final loss is below 1.5x SGD's", experiments: ["fit"]) { results in
            let (adam, sgd) = try Self.losses(results)
            return .init(.meanRatio("mean final loss ratio Adam / SGD", adam, sgd, .below, 1.5))
        },
         Claim(id: "sgd-wins", source: "demo", statement: "SGD's mean final loss is below Adam's", experiments: ["fit"],
               scaleDeviations: [.quick: "20 steps are too few for SGD"]) { results in
            let (adam, sgd) = try Self.losses(results)
            return .init(.meanRatio("mean final loss ratio SGD / Adam", sgd, adam, .below, 1))
        }]
    }

    static func losses(_ results: ResultSet) throws -> (adam: RunValues, sgd: RunValues) {
        (try results.runValues("fit", group: "method=adam", metric: "loss"), try results.runValues("fit", group: "method=sgd", metric: "loss"))
    }
}
