import Engine
import Foundation
import Suite

/// A quadratic with heavy-tailed gradient noise, many independent runs per method, so that the
/// quantiles of f(x_k) − f* (not only its mean) can be compared. Two experiments share it:
/// `paper-quadratic`, the setting of the paper's official code (§4), and `synthetic`, our wider
/// sweep over noise laws and methods.
enum SyntheticExperiment {
    static let id = "synthetic"
    static let paperID = "paper-quadratic"

    static func group(noise: NoiseSpec, method: String) -> String { GroupName.make("noise", "\(noise)", "method", method) }

    static func make(_ config: SyntheticConfig, scale: Scale, paper: String, id: String, title: String) throws -> Experiment {
        let sweep = scale == .quick ? config.quick : config.full
        var runs: [RunConfig] = []
        for noise in config.noises {
            _ = try noise.make()
            for method in config.methods {
                _ = try method.optimizer.make()
                let (optimizer, noiseValue) = (try ConfigValue.json(method.optimizer), try ConfigValue.json(noise))
                for seed in 0..<sweep.seeds {
                    runs.append(RunConfig(paper: paper, experiment: id, group: group(noise: noise, method: method.name), seed: seed, parameters: [
                        "optimizer": optimizer, "noise": noiseValue,
                        "dimension": .int(config.problem.dimension), "mu": .double(Double(config.problem.mu)),
                        "l": .double(Double(config.problem.l)), "start": .double(Double(config.problem.start)),
                        "steps": .int(sweep.steps), "logEvery": .int(sweep.logEvery),
                    ]))
                }
            }
        }
        return Experiment(id: id, title: title, runs: runs, execute: execute)
    }

    @Sendable static func execute(_ run: RunConfig, _ context: RunContext) throws {
        let spec = try run.decoded(OptimizerSpec.self, "optimizer")
        let noise = try run.decoded(NoiseSpec.self, "noise").make()
        let problem = Quadratic(dimension: try run.int("dimension"), mu: Float(try run.double("mu")), l: Float(try run.double("l")))
        try optimize(problem: problem, noise: noise, optimizer: try spec.make(), start: Float(try run.double("start")),
                     steps: try run.int("steps"), logEvery: try run.int("logEvery"), context: context)
    }

    /// x_{k+1} = Opt(x_k, ∇f(x_k) + ξ_k); logs f(x_k) − f* and ‖∇f(x_k)‖ every `logEvery` steps.
    static func optimize<Noise: NoiseModel>(problem: Quadratic, noise: Noise, optimizer: any Optimizer, start: Float,
                                            steps: Int, logEvery: Int, context: RunContext) throws {
        var optimizer = optimizer
        let oracle = NoisyGradientOracle(problem: problem, noise: noise)
        let d = problem.dimension
        let store = ParameterStore(vector: Tensor(shape: [d], repeating: start))
        var rng = context.rng.stream("gradient-noise")
        var exact = [Float](repeating: 0, count: d)
        for k in 0...steps {
            if k % logEvery == 0 || k == steps {
                let (gap, gradNorm) = problem.progress(at: store.values, scratch: &exact)
                try context.log(step: k, ["gap": gap, "grad_norm": gradNorm])
            }
            if k == steps { break }
            store.values.withUnsafeBufferPointer { x in
                store.grads.withUnsafeMutableBufferPointer { oracle.sample(x, into: $0, rng: &rng) }
            }
            optimizer.step(store)
        }
    }
}
