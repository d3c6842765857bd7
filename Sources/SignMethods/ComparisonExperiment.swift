import Engine
import Foundation
import Suite
import Tasks

/// Experiment `comparison` (§5): zeroth-order descent when the oracle only says which of two points
/// has the lower (noisily evaluated) value. CompsSGD and MajorityVote-CompsSGD (M comparisons of the
/// same pair per step) against two-point descent, which sees the values themselves; progress is
/// plotted against oracle calls (comparisons, or pairs of values).
enum ComparisonExperiment {
    static let id = "comparison"

    static func group(noise: NoiseSpec, method: String) -> RunGroup { RunGroup(["noise": "\(noise)", "method": method]) }

    static func make(_ config: ComparisonConfig, scale: Scale, paper: String) throws -> Experiment {
        let sweep = config.sweep(scale)
        var runs: [RunConfig] = []
        for noise in config.noises {
            for method in config.methods {
                let votes = method.votes ?? 1
                for seed in 0..<sweep.seeds {
                    runs.append(try RunConfig(paper: paper, experiment: id, group: group(noise: noise, method: method.name), seed: seed, typed: Run(
                        kind: method.kind, lr: Double(method.lr), votes: votes, smoothing: Double(config.smoothing), noise: noise,
                        problem: config.problem, calls: sweep.calls, logEvery: sweep.logEvery)))
                }
            }
        }
        return Experiment(id: id, title: "comparison oracle on a \(config.problem.dimension)-d quadratic with noisy function values",
                          runs: runs, parameters: Run.self, execute: execute)
    }

    /// One method on one noise law, for `calls` oracle calls.
    struct Run: RunParameters {
        var kind: ComparisonConfig.Kind
        /// Float settings, as the Doubles the store has always keyed them by.
        var lr: Double
        var votes: Int
        var smoothing: Double
        @JSONEncoded var noise: NoiseSpec
        @JSONEncoded var problem: QuadraticSpec
        var calls: Int
        var logEvery: Int
    }

    @Sendable static func execute(_ run: Run, _ context: RunContext) throws {
        let (kind, noise, shape) = (run.kind, try run.noise.make(), run.problem)
        let problem = Quadratic(dimension: shape.dimension, mu: shape.mu, l: shape.l)
        let (lr, smoothing) = (Float(run.lr), Float(run.smoothing))
        let (budget, logEvery) = (run.calls, run.logEvery)
        var comps = kind == .comparison ? CompsSGD(learningRate: lr, smoothing: smoothing, votes: run.votes) : nil
        var twoPoint = kind == .twoPoint ? TwoPointZeroOrder(learningRate: lr, smoothing: smoothing) : nil

        // f̃(a) = f(a) + ξ, a fresh ξ for every evaluation.
        func noisyValue(_ a: Tensor, _ rng: inout RNG) -> Double {
            a.withUnsafeBufferPointer { problem.value($0) } + noise.sample(&rng)
        }
        var x = Tensor(shape: [shape.dimension], repeating: shape.start)
        var rng = context.rng.stream("oracle")
        var gradient = [Float](repeating: 0, count: shape.dimension)
        var calls = 0, nextLog = 0
        while true {
            if calls >= nextLog || calls >= budget {
                let (gap, norm) = problem.progress(at: x, scratch: &gradient)
                try context.log(step: calls, ["gap": gap, "grad_norm": norm])
                nextLog += logEvery
            }
            if calls >= budget { break }
            if comps != nil {
                comps!.step(&x, rng: &rng) { a, b, rng in noisyValue(a, &rng) < noisyValue(b, &rng) }
                calls = comps!.comparisons
            } else {
                twoPoint!.step(&x, rng: &rng, value: noisyValue)
                calls = twoPoint!.evaluations / 2
            }
        }
    }
}
