import Engine
import Suite
import Tasks

/// `reproductions/sign-methods/experiments.yaml`.
struct SignMethodsConfig: Codable, Sendable {
    var synthetic: SignSyntheticConfig
    var comparison: ComparisonConfig
    var lm: SignLMConfig
}

/// Experiment `lm`: a small language model trained with float and sign methods.
struct SignLMConfig: Codable, Sendable, ScaledSweeps {
    struct Method: Codable, Sendable {
        var name: String
        var optimizer: OptimizerSpec
        /// Split each step's batch over the workers and take the majority of their signs.
        var vote: Bool?
    }

    struct Sweep: Codable, Sendable {
        var data: DataChoice
        var steps: Int
        var seeds: Int
        /// Windows per step, over all workers.
        var batch: Int
        var evalEvery: Int
        var evalBatches: Int
    }

    var model: CharacterLMTask.Model
    /// M simulated workers.
    var workers: Int
    var methods: [Method]
    var quick: Sweep
    var full: Sweep
}

/// Experiment `synthetic`: first-order methods under heavy-tailed gradient noise, single-worker and
/// with M simulated workers.
struct SignSyntheticConfig: Codable, Sendable, ScaledSweeps {
    struct Method: Codable, Sendable {
        var name: String
        var optimizer: OptimizerSpec
        /// M simulated workers, each with its own noise. Sign methods combine them by majority vote
        /// (d bits per worker and step); the others average float gradients (32·d bits).
        var workers: Int?
        /// Noisy gradients averaged per worker and step (a minibatch).
        var batch: Int?
    }

    struct Sweep: Codable, Sendable {
        var steps: Int
        var seeds: Int
        var logEvery: Int
    }

    var problem: QuadraticSpec
    var noises: [NoiseSpec]
    var methods: [Method]
    var quick: Sweep
    var full: Sweep
}

/// Experiment `comparison`: zeroth-order methods that see f only through a noisy oracle.
struct ComparisonConfig: Codable, Sendable, ScaledSweeps {
    enum Kind: String, Codable, Sendable, CaseIterable, NamedChoice {
        /// CompsSGD / MajorityVote-CompsSGD: only "is f(x + δe) < f(x − δe)?".
        case comparison
        /// Two-point zeroth-order descent: the two (noisy) values themselves.
        case twoPoint = "two-point"
    }

    struct Method: Codable, Sendable {
        var name: String
        var kind: Kind
        var lr: Float
        /// M comparisons of the same pair per step (odd), for `comparison`.
        var votes: Int?
    }

    struct Sweep: Codable, Sendable {
        /// Oracle calls per run: one comparison, or one pair of function values.
        var calls: Int
        var seeds: Int
        var logEvery: Int
    }

    var problem: QuadraticSpec
    /// δ.
    var smoothing: Float
    /// Noise added to every function value the oracle computes, independently per evaluation.
    var noises: [NoiseSpec]
    var methods: [Method]
    var quick: Sweep
    var full: Sweep
}

extension SignMethodsConfig: ValidatedConfig {
    func validate() throws {
        try synthetic.validate()
        try comparison.validate()
        try lm.validate()
    }
}

extension SignSyntheticConfig {
    func validate() throws {
        let check = ConfigCheck("sign-methods synthetic")
        try problem.validate(check)
        try check.noiseMethodGrid(noises: noises, methods: methods.map(\.name))
        for method in methods {
            try check.counts(["workers": method.workers ?? 1, "batch": method.batch ?? 1], in: "method '\(method.name)'")
            try check { _ = try method.optimizer.make() }
        }
        for (scale, sweep) in sweeps {
            try check.seeds(["seeds": sweep.seeds], in: scale)
            try check.counts(["steps": sweep.steps, "logEvery": sweep.logEvery], in: scale)
        }
    }
}

extension ComparisonConfig {
    func validate() throws {
        let check = ConfigCheck("sign-methods comparison")
        try problem.validate(check)
        try check(smoothing > 0 && smoothing.isFinite, "smoothing must be positive, got \(smoothing)")
        try check.noiseMethodGrid(noises: noises, methods: methods.map(\.name))
        for method in methods {
            try check(method.lr > 0 && method.lr.isFinite, "method '\(method.name)': lr must be positive, got \(method.lr)")
            try check((method.votes ?? 1) >= 1 && (method.votes ?? 1) % 2 == 1,
                      "method '\(method.name)': votes must be odd and ≥ 1 (a majority must exist), got \(method.votes ?? 1)")
        }
        for (scale, sweep) in sweeps {
            try check.seeds(["seeds": sweep.seeds], in: scale)
            try check.counts(["calls": sweep.calls, "logEvery": sweep.logEvery], in: scale)
        }
    }
}

extension SignLMConfig {
    func validate() throws {
        let check = ConfigCheck("sign-methods lm")
        try model.validate(check)
        try check.counts(["workers": workers])
        try check(!methods.isEmpty, "needs at least one method")
        try check.unique(methods.map(\.name), "method")
        for method in methods {
            try check { _ = try method.optimizer.make() }
            try check(method.vote != true || method.optimizer.canVote,
                      "method '\(method.name)': \(method.optimizer.method) cannot vote (only sign methods can)")
        }
        for (scale, sweep) in sweeps {
            try check.seeds(["seeds": sweep.seeds], in: scale)
            try check.counts(["steps": sweep.steps, "batch": sweep.batch,
                              "evalEvery": sweep.evalEvery, "evalBatches": sweep.evalBatches], in: scale)
            try check(sweep.batch % workers == 0, "\(scale).batch (\(sweep.batch)) must split evenly over \(workers) workers")
        }
    }
}
