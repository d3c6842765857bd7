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
