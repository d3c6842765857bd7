import Figures
import Suite

/// Performance profiles (steps and seconds to target) and each workload's validation curves.
enum BenchmarkFigures {
    static var all: [FigureRequest] {
        [FigureRequest(id: "profiles", title: "performance profiles", experiments: [TuningProtocol.final]) { results in
            let benchmark = try BenchmarkResults(results)
            let tag = try results.scaleTag(TuningProtocol.final)
            return [profile(benchmark, id: "profile-steps", cost: "steps", tag: tag, costs: benchmark.costs(\.medianSteps)),
                    profile(benchmark, id: "profile-time", cost: "training seconds", tag: tag, costs: benchmark.costs(\.medianSeconds))]
         },
         FigureRequest(id: "curves", title: "validation curves per workload", experiments: [TuningProtocol.final]) { results in
            let benchmark = try BenchmarkResults(results)
            let tag = try results.scaleTag(TuningProtocol.final)
            return try benchmark.workloads.map { workload in
                let series = try benchmark.optimizers.map { optimizer in
                    let group = TuningProtocol.finalGroup(workload.name, optimizer).name
                    let points = try results.quantilesAlongRun(TuningProtocol.final, group: group, metric: "val", probabilities: [0.5])
                        .filter { $0.quantiles[0].isFinite }
                        .map { Series.Point(x: $0.x, y: $0.quantiles[0]) }
                    return Series(title: optimizer, points: points)
                }
                return FigureSpec(id: "curve-\(RunGroup.slug(workload.name))",
                                  title: "\(workload.name): \(workload.spec.metricLabel), median over seeds (target \(BenchmarkTables.number(workload.target))) \(tag)",
                                  xLabel: "step", yLabel: workload.spec.metricLabel, logY: workload.spec.quadratic != nil,
                                  legend: .outside, series: series)
            }
         }]
    }

    static func profile(_ benchmark: BenchmarkResults, id: String, cost: String, tag: String, costs: [[Double]]) -> FigureSpec {
        let profile = PerformanceProfile(costs: costs)
        let series = benchmark.optimizers.indices.map { o in
            Series(title: benchmark.optimizers[o], points: profile.curve(o).map { Series.Point(x: $0.tau, y: $0.fraction) }, style: .steps)
        }
        return FigureSpec(id: id, title: "Performance profile, \(cost) to target over \(benchmark.workloads.count) workloads \(tag)",
                          xLabel: "τ (× the best \(cost))", yLabel: "share of workloads reached within τ", logX: true,
                          legend: .outside, series: series)
    }
}
