import Engine
import Foundation
import Suite
import Tasks

/// Experiment `synthetic`: a quadratic with heavy-tailed, symmetric gradient noise; SignSGD,
/// M-SignSGD, minibatch SignSGD and majority vote over M workers against SGD, Clip-SGD and
/// normalized SGD. Logs ‖∇f(x_k)‖, f(x_k) − f*, and the bits each worker has sent, so that the
/// figures can put communication on the x-axis.
enum SignSyntheticExperiment {
    static let id = "synthetic"

    static func group(noise: NoiseSpec, method: String) -> RunGroup { RunGroup(["noise": "\(noise)", "method": method]) }

    static func make(_ config: SignSyntheticConfig, scale: Scale, paper: String) throws -> Experiment {
        let sweep = config.sweep(scale)
        var runs: [RunConfig] = []
        for noise in config.noises {
            for method in config.methods {
                for seed in 0..<sweep.seeds {
                    runs.append(try RunConfig(paper: paper, experiment: id, group: group(noise: noise, method: method.name), seed: seed, typed: Run(
                        optimizer: method.optimizer, noise: noise, problem: config.problem, workers: method.workers ?? 1, batch: method.batch ?? 1,
                        steps: sweep.steps, logEvery: sweep.logEvery)))
                }
            }
        }
        return Experiment(id: id, title: "quadratic, \(config.problem.dimension)-d, heavy-tailed gradient noise, M workers", runs: runs,
                          parameters: Run.self, exactMetrics: ["bits", "samples"], execute: execute)
    }

    /// One method on one noise law: `workers` workers, each drawing `batch` noisy gradients per step.
    struct Run: RunParameters {
        @JSONEncoded var optimizer: OptimizerSpec
        @JSONEncoded var noise: NoiseSpec
        @JSONEncoded var problem: QuadraticSpec
        var workers: Int
        var batch: Int
        var steps: Int
        var logEvery: Int
    }

    @Sendable static func execute(_ run: Run, _ context: RunContext) throws {
        let shape = run.problem
        let problem = Quadratic(dimension: shape.dimension, mu: shape.mu, l: shape.l)
        try optimize(problem: problem, noise: try run.noise.make(), spec: run.optimizer, start: shape.start, workers: run.workers,
                     batch: run.batch, steps: run.steps, logEvery: run.logEvery, context: context)
    }

    static func optimize<Noise: NoiseModel>(problem: Quadratic, noise: Noise, spec: OptimizerSpec, start: Float, workers: Int,
                                            batch: Int, steps: Int, logEvery: Int, context: RunContext) throws {
        let d = problem.dimension
        let oracle = NoisyGradientOracle(problem: problem, noise: noise)
        let store = ParameterStore(vector: Tensor(shape: [d], repeating: start))
        var streams = (0..<workers).map { context.rng.stream("worker-noise", $0) }
        let bitsPerStep = Double(try spec.bitsPerCoordinate() * d)
        var single = workers == 1 ? try spec.make() : nil
        // Several sign workers vote; several float workers average (a larger minibatch).
        var vote = workers > 1 && spec.canVote ? try spec.majorityVote() : nil
        var averaged = workers > 1 && vote == nil ? try spec.make() : nil
        var gradients = (0..<workers).map { _ in Tensor(zeros: [d]) }
        var exact = [Float](repeating: 0, count: d)
        for k in 0...steps {
            if k % logEvery == 0 || k == steps {
                let (gap, gradNorm) = problem.progress(at: store.values, scratch: &exact)
                try context.log(step: k, ["grad_norm": gradNorm, "gap": gap, "bits": Double(k) * bitsPerStep,
                                          "samples": Double(k * batch)])
            }
            if k == steps { break }
            store.values.withUnsafeBufferPointer { x in
                for j in 0..<workers {
                    gradients[j].withUnsafeMutableBufferPointer { oracle.sample(x, into: $0, batch: batch, rng: &streams[j]) }
                }
            }
            if vote != nil {
                vote!.step(store, workerGradients: gradients)
                continue
            }
            // One worker: its gradient; several float workers: their mean (a larger minibatch).
            store.grads.withUnsafeMutableBufferPointer { g in
                for i in 0..<d { g[i] = 0 }
                for j in 0..<workers {
                    gradients[j].withUnsafeBufferPointer { BLAS.axpy(d, alpha: 1 / Float(workers), x: $0.baseAddress!, y: g.baseAddress!) }
                }
            }
            if single != nil { single!.step(store) } else { averaged!.step(store) }
        }
    }
}
