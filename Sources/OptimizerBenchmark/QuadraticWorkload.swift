import Engine
import Suite
import Tasks

/// The heavy-tailed-clipping paper's synthetic problem as a workload: f(x) = ½·Σλᵢxᵢ² with λ spread
/// over [μ, L], from x₀ = start·(1, …, 1), under the oracle g = ∇f(x) + ξ with i.i.d. noise per
/// coordinate (Pareto for heavy tails, Gaussian for the control). Its validation metric is the
/// exact gap f(x) − f*, its reference gradient the exact ∇f(x).
final class QuadraticWorkload: BenchmarkWorkload {
    struct Spec: Codable, Hashable, Sendable {
        var problem: QuadraticSpec
        var noise: NoiseSpec
        /// Noise draws averaged per step (a minibatch); 1 when absent.
        var batch: Int?

        func validate(_ check: ConfigCheck, section: String) throws {
            try problem.validate(ConfigCheck("\(check.context): \(section)"))
            try check { _ = try noise.make() }
            try check.counts(["batch": batch ?? 1], in: section)
        }
    }

    let store: ParameterStore
    private let problem: Quadratic
    private let noise: any NoiseModel
    private let batch: Int

    init(_ spec: Spec, rng: RNG) throws {
        problem = Quadratic(dimension: spec.problem.dimension, mu: spec.problem.mu, l: spec.problem.l)
        noise = try spec.noise.make()
        batch = spec.batch ?? 1
        store = ParameterStore(vector: Tensor(shape: [spec.problem.dimension], repeating: spec.problem.start))
    }

    func minibatchGradient(batches: inout RNG) {
        // The oracle is generic over its noise model: opening the existential here lets it be
        // specialised, instead of a dynamic call per coordinate and draw.
        func sample<Noise: NoiseModel>(_ noise: Noise) {
            let oracle = NoisyGradientOracle(problem: problem, noise: noise)
            store.values.withUnsafeBufferPointer { x in
                store.grads.withUnsafeMutableBufferPointer { oracle.sample(x, into: $0, batch: batch, rng: &batches) }
            }
        }
        sample(noise)
    }

    func validate() -> (metric: Double, details: [(key: String, value: Double)]) {
        (store.values.withUnsafeBufferPointer { problem.value($0) } - problem.optimalValue, [])
    }

    func referenceGradient(batches: Int) -> [Float] {
        var g = [Float](repeating: 0, count: problem.dimension)
        store.values.withUnsafeBufferPointer { x in g.withUnsafeMutableBufferPointer { problem.gradient(x, into: $0) } }
        return g
    }

    func memoryEstimate(optimizer: any Optimizer) -> MemoryEstimate? { nil }
}
