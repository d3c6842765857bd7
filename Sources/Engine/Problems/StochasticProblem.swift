/// A smooth test problem min f(x) with an exact gradient, for synthetic experiments where the
/// optimality gap f(x) − f* and the gradient norm can be measured exactly at every step.
public protocol StochasticProblem: Sendable {
    var dimension: Int { get }
    /// f*, the optimal value (known in closed form for the synthetic problems).
    var optimalValue: Double { get }
    func value(_ x: UnsafeBufferPointer<Float>) -> Double
    /// Writes ∇f(x) into `gradient`.
    func gradient(_ x: UnsafeBufferPointer<Float>, into gradient: UnsafeMutableBufferPointer<Float>)
}

/// The stochastic first-order oracle of the papers' analyses: g(x, ξ) = ∇f(x) + ξ, ξ i.i.d. per
/// coordinate from a noise model. The noise is unbiased (all models here are symmetric) and has
/// bounded moments exactly below the model's tail index.
public struct NoisyGradientOracle<Problem: StochasticProblem, Noise: NoiseModel>: Sendable {
    public let problem: Problem
    public let noise: Noise

    public init(problem: Problem, noise: Noise) {
        self.problem = problem
        self.noise = noise
    }

    /// One stochastic gradient at x, averaged over `batch` independent noise draws (a minibatch).
    public func sample(_ x: UnsafeBufferPointer<Float>, into g: UnsafeMutableBufferPointer<Float>, batch: Int = 1, rng: inout RNG) {
        precondition(batch >= 1, "minibatch size must be at least 1, got \(batch)")
        problem.gradient(x, into: g)
        if batch == 1 {
            noise.add(to: g, rng: &rng)
            return
        }
        let scale = 1 / Double(batch)
        for i in 0..<g.count {
            var sum = 0.0
            for _ in 0..<batch { sum += noise.sample(&rng) }
            g[i] += Float(sum * scale)
        }
    }
}

extension StochasticProblem {
    /// f(x) − f* and ‖∇f(x)‖, the two progress measures the papers plot. `scratch` receives ∇f(x), so
    /// logging along a run allocates nothing.
    public func progress(at x: Tensor, scratch: inout [Float]) -> (gap: Double, gradNorm: Double) {
        precondition(x.count == dimension && scratch.count == dimension,
                     "progress: x has \(x.count) and scratch \(scratch.count) coordinates, the problem \(dimension)")
        return x.withUnsafeBufferPointer { x in
            scratch.withUnsafeMutableBufferPointer { g in
                gradient(x, into: g)
                return (value(x) - optimalValue, Double(BLAS.norm2(g.count, g.baseAddress!)))
            }
        }
    }
}
