import Engine
import Foundation
import Suite

/// The cross-paper optimizer benchmark (issue #30): every optimizer of the registry the YAML names,
/// tuned by one protocol (`TuningProtocol`), on workloads taken from the four papers — the
/// heavy-tailed quadratic and its Gaussian control, the character decoder, the LLaMA-style LM, the
/// pipelined ResNet with and without TopK boundaries —
/// with steps and time to a validation target, performance profiles, final metrics with
/// intervals over fresh seeds, and each workload's noise tail index to read the rankings against.
///
/// An optimizer added to the registry (its own file, one line in `OptimizerRegistry.standard`) and
/// one line in `experiments.yaml` is ranked by `repro run optimizer-benchmark`; `registry` is what
/// a test passes to rank an optimizer of its own.
public struct OptimizerBenchmark: Reproduction {
    let registry: OptimizerRegistry

    public init(registry: OptimizerRegistry = .standard) {
        self.registry = registry
    }

    public var id: String { "optimizer-benchmark" }
    public var title: String { "Optimizer benchmark: every optimizer on the papers' workloads, tuned alike, read against their noise tails" }
    public var citation: String { "this suite (issue #30); protocol after AlgoPerf (arXiv:2306.07179), profiles after Dolan & Moré 2002" }
    public var officialCode: [CodeLink] { [] }
    public var datasets: [String] { ["fashion-mnist", "tinyshakespeare"] }

    public func experiments(scale: Scale, configDirectory: URL) throws -> [Experiment] {
        let file = configDirectory.appendingPathComponent("experiments.yaml")
        let config = try ConfigFile.load(BenchmarkConfig.self, from: file)
        do {
            for optimizer in config.optimizers { try optimizer.validate(in: registry) }
        } catch {
            throw SuiteError("\(file.path): \(error)")
        }
        return try TuningProtocol.experiments(config, scale: scale, paper: id, registry: registry)
            + [NoiseProfileExperiment.make(config, scale: scale, paper: id)]
    }

    public var figures: [FigureRequest] { BenchmarkFigures.all }
    public var tables: [TableRequest] { BenchmarkTables.all }
    public var claims: [Claim] { BenchmarkClaims.all }
}
