import Engine
import Suite
import Tasks

/// One section of `reproductions/heavy-tailed-clipping/experiments.yaml` (`paper-quadratic`, `synthetic`).
struct SyntheticConfig: Codable, Sendable, ScaledSweeps {
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

    var problem: QuadraticSpec
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
        try problem.validate(check)
        try check.noiseMethodGrid(noises: noises, methods: methods.map(\.name))
        for method in methods { try check { _ = try method.optimizer.make() } }
        for (scale, sweep) in sweeps {
            try check.seeds(["seeds": sweep.seeds], in: scale)
            try check.counts(["steps": sweep.steps, "logEvery": sweep.logEvery], in: scale)
        }
    }
}
