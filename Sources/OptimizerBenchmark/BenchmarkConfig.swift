import Engine
import Foundation
import Suite

/// `reproductions/optimizer-benchmark/experiments.yaml`: the optimizers (everything but the step
/// size), and per scale the seeds and the workloads with their budgets, targets, learning-rate
/// grids and noise probes. This file is the only place the sweep is written.
struct BenchmarkConfig: Decodable, ValidatedConfig, ScaledSweeps {
    var optimizers: [TunableOptimizer]
    var quick: Sweep
    var full: Sweep

    struct Sweep: Decodable {
        /// Seeds of each grid point's tuning runs: `tuningSeedBase` + 0, 1, …, apart from the final
        /// runs' seeds 0, 1, …, so the reported runs are fresh.
        var tuningSeeds: Int
        var finalSeeds: Int
        var workloads: [WorkloadEntry]
    }

    static let tuningSeedBase = 1000

    func validate() throws {
        let check = ConfigCheck("optimizer-benchmark")
        try check(!optimizers.isEmpty, "optimizers must list at least one optimizer")
        try check.unique(optimizers.map(\.name), "optimizer")
        for (scale, sweep) in sweeps {
            try check.seeds(["tuningSeeds": sweep.tuningSeeds, "finalSeeds": sweep.finalSeeds], in: scale)
            try check(sweep.finalSeeds <= Self.tuningSeedBase,
                      "\(scale).finalSeeds \(sweep.finalSeeds) would reach the tuning seeds, which start at \(Self.tuningSeedBase)")
            try check(!sweep.workloads.isEmpty, "\(scale).workloads must list at least one workload")
            try check.unique(sweep.workloads.map(\.workload.name), "\(scale) workload")
            for entry in sweep.workloads { try entry.validate(ConfigCheck("optimizer-benchmark \(scale)")) }
        }
    }
}

/// One workload of a sweep as its YAML mapping writes it: the task and budget (`WorkloadSpec`, in
/// the runs' keys) and, beside them, what only the sweep or the analysis reads.
struct WorkloadEntry: Decodable {
    var workload: WorkloadSpec
    /// The validation metric to reach (at most it, or at least it when higher is better): steps
    /// and time to target are read from the logged curves, so changing it recomputes nothing.
    var target: Double
    var lrGrid: LearningRateGrid
    var noise: NoiseProbe
    /// The sweep's seeds unless given here: an expensive workload may run fewer.
    var tuningSeeds: Int?
    var finalSeeds: Int?

    private enum Keys: String, CodingKey { case target, lrGrid, noise, tuningSeeds, finalSeeds }

    init(from decoder: any Decoder) throws {
        workload = try WorkloadSpec(from: decoder)
        let container = try decoder.container(keyedBy: Keys.self)
        target = try container.decode(Double.self, forKey: .target)
        lrGrid = try container.decode(LearningRateGrid.self, forKey: .lrGrid)
        noise = try container.decode(NoiseProbe.self, forKey: .noise)
        tuningSeeds = try container.decodeIfPresent(Int.self, forKey: .tuningSeeds)
        finalSeeds = try container.decodeIfPresent(Int.self, forKey: .finalSeeds)
    }

    func validate(_ check: ConfigCheck) throws {
        try workload.validate(check)
        let section = "workload '\(workload.name)'"
        try check(target.isFinite, "\(section): target must be a number, got \(target)")
        try lrGrid.validate(check, section: section)
        try noise.validate(check, section: section, steps: workload.steps)
        try check.seeds(["tuningSeeds": tuningSeeds ?? 1, "finalSeeds": finalSeeds ?? 1], in: section)
        try check((finalSeeds ?? 0) <= BenchmarkConfig.tuningSeedBase,
                  "\(section): finalSeeds \(finalSeeds ?? 0) would reach the tuning seeds, which start at \(BenchmarkConfig.tuningSeedBase)")
    }
}

/// Step sizes spaced evenly in log scale from `low` to `high`, `perDecade` to a factor of ten,
/// each rounded to three significant digits (1e-3, 3.16e-3, 1e-2, …): the one grid every optimizer
/// is tuned over on a workload.
struct LearningRateGrid: Codable, Hashable, Sendable {
    var low: Double
    var high: Double
    var perDecade: Int

    var values: [Double] {
        let decades = Foundation.log10(high / low)
        let count = Int((decades * Double(perDecade)).rounded()) + 1
        return (0..<count).map { i in
            let value = low * Foundation.pow(10, Double(i) / Double(perDecade))
            return Double(String(format: "%.3g", value))!
        }
    }

    func validate(_ check: ConfigCheck, section: String) throws {
        try check(low >= 1e-12 && high >= low && high <= 1e6, "\(section): lrGrid needs 1e-12 ≤ low ≤ high ≤ 1e6, got low \(low), high \(high)")
        try check.counts(["lrGrid.perDecade": perDecade], in: section, maximum: 100)
        try check(values.count <= 100, "\(section): lrGrid has \(values.count) points; at most 100")
    }
}

/// Where and how the minibatch noise ‖g_b − g‖ of a workload is measured: after each of
/// `checkpoints` steps of `optimizer`, `samples` minibatch gradients against the reference
/// gradient (the mean over `referenceBatches` batches; 0: the whole train split; exact for the
/// quadratics).
struct NoiseProbe: Codable, Hashable, Sendable {
    var optimizer: OptimizerSpec
    var checkpoints: [Int]
    var samples: Int
    var referenceBatches: Int

    func validate(_ check: ConfigCheck, section: String, steps: Int) throws {
        try check(!checkpoints.isEmpty && checkpoints.allSatisfy { $0 >= 0 && $0 <= steps },
                  "\(section): noise.checkpoints must list steps in 0…\(steps), got \(checkpoints)")
        try check.unique(checkpoints.map(String.init), "\(section) noise checkpoint")
        try check.counts(["noise.samples": samples], in: section, minimum: 10)
        try check.counts(["noise.referenceBatches": referenceBatches], in: section, minimum: 0)
        try check { _ = try optimizer.make() }
    }
}
