import Engine
import Foundation
import Suite

/// The findings the benchmark tests, written before its full-scale runs (issue #30) and evaluated on
/// the final runs with 95 % intervals over seeds.
enum BenchmarkClaims {
    static let experiments = [TuningProtocol.final]

    static var all: [Claim] {
        [Claim(id: "no-optimizer-fastest-everywhere", source: "benchmark finding (AlgoPerf's motivation: no single best optimizer)",
               statement: "no optimizer is fastest to the target on every workload", experiments: experiments) { results in
            let benchmark = try BenchmarkResults(results)
            return .init(.init("largest share of the solved workloads one optimizer is fastest on (median steps to target; ties count for each)",
                               fastestShare(benchmark), .below, 1, runs: [benchmark.workloads.count]))
         },
         Claim(id: "clipping-helps-heavy-tails", source: "Chezhegov et al. 2024 (arXiv:2406.04443) §4; Gorbunov et al. 2020",
               statement: "on every workload whose noise tail index is below 2, clipping improves the bad-tail quantile of the final validation metric "
                   + "(the 0.95-quantile of a loss, the 0.05-quantile of a score) of Adam and of SGD with momentum",
               experiments: experiments + [NoiseProfileExperiment.id]) { results in
            let benchmark = try BenchmarkResults(results)
            let heavy = try heavyTailed(results)
            var comparisons: [Comparison] = []
            for workload in benchmark.workloads where heavy.contains(workload.name) {
                let direction = workload.spec.direction, q = direction.badTail
                for (clipped, plain) in [("Clip-Adam", "Adam"), ("Clip-SGD", "SGD")] {
                    let (x, y) = (try benchmark.cell(workload.name, clipped).final, try benchmark.cell(workload.name, plain).final)
                    let label = "\(workload.name): q\(BenchmarkTables.number(q)) final metric"
                    // A score's ratio would misread a diverged run (−∞); its difference does not.
                    comparisons.append(direction == .lower
                        ? .quantileRatio("\(label) ratio \(clipped) / \(plain)", q, x, y, .below, 1)
                        : .bootstrap("\(label) difference \(clipped) − \(plain)", x, y, .above, 0) { Quantiles.of($0, q) - Quantiles.of($1, q) })
                }
            }
            guard !comparisons.isEmpty else {
                return .init(.init("workloads with noise tail index < 2", .unbounded(0, "no workload measured heavy-tailed"), .above, 0, runs: [0]))
            }
            return .init(comparisons, note: "heavy-tailed (median α̂ over checkpoints < 2): \(heavy.sorted().joined(separator: ", "))")
         },
         Claim(id: "msign-near-adamw-on-language-models", source: "Kornilov et al. 2025 (arXiv:2502.07923) §5",
               statement: "M-SignSGD's mean final validation loss is within 5 % of AdamW's on every language model",
               experiments: experiments) { results in
            let benchmark = try BenchmarkResults(results)
            let comparisons = try benchmark.workloads.filter { $0.spec.languageModel != nil }.map { workload in
                Comparison.meanRatio("\(workload.name): mean final loss ratio M-SignSGD / AdamW",
                                     try benchmark.cell(workload.name, "M-SignSGD").final, try benchmark.cell(workload.name, "AdamW").final,
                                     .below, 1.05)
            }
            guard !comparisons.isEmpty else {
                return .init(.init("language-model workloads", .unbounded(0, "no language-model workload in the sweep"), .above, 0, runs: [0]))
            }
            return .init(comparisons)
         }]
    }

    /// Workloads whose median Hill estimate over the probe's checkpoints is below 2.
    static func heavyTailed(_ results: ResultSet) throws -> Set<String> {
        var estimates: [String: [Double]] = [:]
        for group in try results.runGroups(NoiseProfileExperiment.id) {
            guard let workload = group["workload"] else { continue }
            estimates[workload, default: []] += try results.finalValues(NoiseProfileExperiment.id, group: group.name, metric: "hill_tail_index")
        }
        return Set(estimates.filter { Quantiles.of($0.value, 0.5) < 2 }.keys)
    }

    /// The largest share, over optimizers, of the workloads some optimizer reaches the target on
    /// where it is the fastest (median steps to target), with a percentile interval from resampling
    /// each cell's seeds (1000 resamples, a generator seeded by the claim). Workloads nobody solves
    /// are left out: counted, they would keep every share below 1 and the claim would hold by them.
    static func fastestShare(_ benchmark: BenchmarkResults) -> Estimate {
        func share(_ costs: [[Double]]) -> Double {
            let solved = costs.filter { $0.contains { $0.isFinite } }
            guard !solved.isEmpty else { return .nan }
            let profile = PerformanceProfile(costs: solved)
            return benchmark.optimizers.indices.map { profile.fraction($0, within: 1) }.max() ?? .nan
        }
        let value = share(benchmark.costs(\.medianSteps))
        var rng = RNG(seed: 30).stream("no-optimizer-fastest-everywhere")
        let resamples = 1000
        let shares = (0..<resamples).map { _ in
            share(benchmark.costs { cell in
                let n = cell.stepsToTarget.count
                return Quantiles.of((0..<n).map { _ in cell.stepsToTarget[rng.int(below: n)] }, 0.5)
            })
        }
        guard value.isFinite, shares.allSatisfy(\.isFinite) else {
            return .unbounded(value, "no interval: no optimizer reaches the target of any workload")
        }
        let interval = Quantiles.of(shares, [0.025, 0.975])
        return Estimate(value: value, lower: interval[0], upper: interval[1],
                        method: "percentile bootstrap over each cell's seeds, \(resamples) resamples")
    }
}
