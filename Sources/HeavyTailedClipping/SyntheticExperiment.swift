import Engine
import Foundation
import Suite
import Tasks

/// A quadratic with heavy-tailed gradient noise, many independent runs per method, so that the
/// quantiles of f(x_k) − f* (not only its mean) can be compared. Two experiments share it:
/// `paper-quadratic`, the setting of the paper's official code (§4), and `synthetic`, our wider
/// sweep over noise laws and methods.
enum SyntheticExperiment {
    static let id = "synthetic"
    static let paperID = "paper-quadratic"

    static func group(noise: NoiseSpec, method: String) -> RunGroup { RunGroup(["noise": "\(noise)", "method": method]) }

    static func make(_ config: SyntheticConfig, scale: Scale, paper: String, id: String, title: String) throws -> Experiment {
        let sweep = config.sweep(scale)
        var runs: [RunConfig] = []
        for noise in config.noises {
            for method in config.methods {
                let run = Run(method.optimizer, noise, config.problem, sweep)
                for seed in 0..<sweep.seeds {
                    runs.append(try RunConfig(paper: paper, experiment: id, group: group(noise: noise, method: method.name), seed: seed, typed: run))
                }
            }
        }
        return Experiment(id: id, title: title, runs: runs, parameters: Run.self, execute: execute)
    }

    /// One method on one noise law.
    struct Run: RunParameters {
        @JSONEncoded var optimizer: OptimizerSpec
        @JSONEncoded var noise: NoiseSpec
        /// The quadratic's; the Float settings as the Doubles the store has always keyed them by.
        var dimension: Int
        var mu: Double
        var l: Double
        var start: Double
        var steps: Int
        var logEvery: Int

        init(_ optimizer: OptimizerSpec, _ noise: NoiseSpec, _ problem: QuadraticSpec, _ sweep: SyntheticConfig.Sweep) {
            self.optimizer = optimizer
            self.noise = noise
            (dimension, mu, l, start) = (problem.dimension, Double(problem.mu), Double(problem.l), Double(problem.start))
            (steps, logEvery) = (sweep.steps, sweep.logEvery)
        }
    }

    @Sendable static func execute(_ run: Run, _ context: RunContext) throws {
        let problem = Quadratic(dimension: run.dimension, mu: Float(run.mu), l: Float(run.l))
        try optimize(problem: problem, noise: try run.noise.make(), optimizer: try run.optimizer.make(), start: Float(run.start),
                     steps: run.steps, logEvery: run.logEvery, context: context)
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
