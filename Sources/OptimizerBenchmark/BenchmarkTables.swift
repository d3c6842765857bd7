import Engine
import Foundation
import Suite

/// The benchmark's tables: per workload and optimizer the chosen step size, steps and time to the
/// target and the final metric over the fresh seeds; the performance profiles at a few τ; each
/// workload's noise tail index.
enum BenchmarkTables {
    static var all: [TableRequest] {
        [TableRequest(id: "results", title: "steps and time to target, final metric", experiments: [TuningProtocol.final]) { results in
            [try resultsTable(results)]
         },
         TableRequest(id: "profiles", title: "performance profiles at τ = 1, 2, 4, 8", experiments: [TuningProtocol.final]) { results in
            [try profilesTable(results)]
         },
         TableRequest(id: "noise", title: "tail index of each workload's minibatch noise", experiments: [NoiseProfileExperiment.id]) { results in
            [try noiseTable(results)]
         }]
    }

    static func number(_ value: Double) -> String { ResultTable.cell(value, digits: 4) }

    static func interval(_ e: Estimate) -> String {
        guard e.lower.isFinite && e.upper.isFinite else { return number(e.value) }
        return "\(number(e.value)) [\(number(e.lower)), \(number(e.upper))]"
    }

    static func resultsTable(_ results: ResultSet) throws -> ResultTable {
        let benchmark = try BenchmarkResults(results)
        var rows: [[String]] = []
        for workload in benchmark.workloads {
            for optimizer in benchmark.optimizers {
                let cell = try benchmark.cell(workload.name, optimizer)
                rows.append([workload.name, optimizer, number(cell.lr) + (cell.atGridEdge ? " (edge)" : ""), "\(cell.reached)/\(cell.stepsToTarget.count)",
                             number(cell.medianSteps), number(cell.medianSeconds), interval(MeanInterval.mean(of: cell.final.values)),
                             number(Quantiles.of(cell.final.values, workload.spec.direction.badTail))])
            }
        }
        let targets = benchmark.workloads.map { "\($0.name): \($0.spec.metricLabel) \($0.spec.direction.targetSymbol) \(number($0.target))" }
        return ResultTable(id: "results", title: "Optimizer benchmark: tuned step size, steps and seconds to target (median over seeds), final validation metric \(try results.scaleTag(TuningProtocol.final))",
                           columns: ["workload", "optimizer", "lr", "reached target", "steps to target", "seconds to target",
                                     "final metric mean [95 % t interval]", "final metric, bad-tail quantile"],
                           rows: rows,
                           note: "Targets: \(targets.joined(separator: "; ")). \"(edge)\": the chosen step size is the grid's smallest or largest, so a better one may lie outside it. The bad-tail quantile over seeds is q0.95 of a metric that falls as training goes well and q0.05 of one that rises (NDCG). A diverged run counts as never reaching the target and as the worst metric (±inf). "
                               + "Seconds are training time only (evaluation excluded), measured with the runs sharing the machine: compare them within a table, not across machines.")
    }

    static let taus: [Double] = [1, 2, 4, 8]

    static func profilesTable(_ results: ResultSet) throws -> ResultTable {
        let benchmark = try BenchmarkResults(results)
        let steps = PerformanceProfile(costs: benchmark.costs(\.medianSteps))
        let seconds = PerformanceProfile(costs: benchmark.costs(\.medianSeconds))
        let rows = benchmark.optimizers.indices.map { o in
            [benchmark.optimizers[o]] + taus.map { number(steps.fraction(o, within: $0)) } + taus.map { number(seconds.fraction(o, within: $0)) }
        }
        return ResultTable(id: "profiles", title: "Optimizer benchmark: performance profiles ρ(τ), the share of the \(benchmark.workloads.count) workloads reached within τ × the best \(try results.scaleTag(TuningProtocol.final))",
                           columns: ["optimizer"] + taus.map { "steps ρ(\(number($0)))" } + taus.map { "time ρ(\(number($0)))" }, rows: rows,
                           note: "ρ(1) is the share of workloads on which the optimizer is fastest to the target (ties count for each); "
                               + "costs are the median over the final seeds.")
    }

    static func noiseTable(_ results: ResultSet) throws -> ResultTable {
        var rows: [[String]] = []
        for group in try results.runGroups(NoiseProfileExperiment.id) {
            let summary = try results.summaries(NoiseProfileExperiment.id, group: group.name)[0]
            let alpha = Estimate(value: summary.final["hill_tail_index"] ?? .nan, lower: summary.final["hill_lower"] ?? .nan,
                                 upper: summary.final["hill_upper"] ?? .nan, method: "Hill")
            let run = try summary.config.typed(NoiseProfileExperiment.Run.self)
            rows.append([group["workload"] ?? group.name, group["checkpoint"] ?? "", interval(alpha), "\(run.samples)",
                         number(summary.final["reference_grad_norm"] ?? .nan)])
        }
        return ResultTable(id: "noise", title: "Optimizer benchmark: Hill tail index of ‖g_b − g‖ at each checkpoint \(try results.scaleTag(NoiseProfileExperiment.id))",
                           columns: ["workload", "checkpoint (steps)", "tail index α̂ [95 %]", "samples", "‖g‖"], rows: rows,
                           note: "α̂ < 2: the noise norm has infinite variance (heavy tails). Hill's estimator with k = ⌈√n⌉ of the n samples, "
                               + "interval from its asymptotic normality.")
    }
}
