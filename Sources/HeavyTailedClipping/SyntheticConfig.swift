import Engine
import Suite

/// One section of `reproductions/heavy-tailed-clipping/experiments.yaml` (`paper-quadratic`, `synthetic`).
struct SyntheticConfig: Codable, Sendable {
    struct Problem: Codable, Sendable {
        /// d, μ, L of f(x) = ½·Σλᵢxᵢ² with λ spread geometrically over [μ, L].
        var dimension: Int
        var mu: Float
        var l: Float
        /// x₀ = start·(1, …, 1).
        var start: Float
    }

    struct Sweep: Codable, Sendable {
        var steps: Int
        var seeds: Int
        var logEvery: Int
    }

    struct Method: Codable, Sendable {
        /// Legend name, e.g. "Clip-RAdaGradD".
        var name: String
        var optimizer: OptimizerSpec
    }

    var problem: Problem
    var noises: [NoiseSpec]
    var methods: [Method]
    var quick: Sweep
    var full: Sweep
}

struct HeavyTailedClippingConfig: Codable, Sendable {
    var paperQuadratic: SyntheticConfig
    var charLM: CharLMConfig
    var synthetic: SyntheticConfig

    enum CodingKeys: String, CodingKey {
        case paperQuadratic = "paper-quadratic", synthetic, charLM = "char-lm"
    }
}

extension HeavyTailedClippingConfig: ValidatedConfig {
    func validate() throws {
        try paperQuadratic.validate(ConfigCheck("heavy-tailed-clipping paper-quadratic"))
        try synthetic.validate(ConfigCheck("heavy-tailed-clipping synthetic"))
        try charLM.validate()
    }
}

extension SyntheticConfig {
    func validate(_ check: ConfigCheck) throws {
        try check.counts(["dimension": problem.dimension], in: "problem")
        try check(problem.mu > 0 && problem.l >= problem.mu && problem.l.isFinite,
                  "problem needs 0 < mu ≤ l (finite), got mu \(problem.mu), l \(problem.l)")
        try check(problem.start.isFinite, "problem.start must be finite, got \(problem.start)")
        try check.noiseMethodGrid(noises: noises, methods: methods.map(\.name))
        for method in methods { try check { _ = try method.optimizer.make() } }
        for (scale, sweep) in [("quick", quick), ("full", full)] {
            try check.seeds(["seeds": sweep.seeds], in: scale)
            try check.counts(["steps": sweep.steps, "logEvery": sweep.logEvery], in: scale)
        }
    }
}
