import Engine
import Suite

/// The final runs read once for tables, figures and claims: per workload and optimizer, each
/// seed's final validation metric, steps and seconds to the workload's target, and the chosen step
/// size. A run that diverged has the worst metric (+∞, or −∞ where higher is better) and never
/// reaches the target.
struct BenchmarkResults {
    struct Cell {
        var lr: Double
        /// Whether the chosen step size is the smallest or largest of the grid: the best may lie beyond it.
        var atGridEdge: Bool
        /// Final validation metric per seed, in seed order (`RunValues` for claims).
        var final: RunValues
        /// Steps and training seconds until the validation metric first reached the target; +∞ if never.
        var stepsToTarget: [Double]
        var secondsToTarget: [Double]

        var medianSteps: Double { Quantiles.of(stepsToTarget, 0.5) }
        var medianSeconds: Double { Quantiles.of(secondsToTarget, 0.5) }
        var reached: Int { stepsToTarget.filter(\.isFinite).count }
    }

    struct Workload {
        var name: String
        var spec: WorkloadSpec
        var target: Double
    }

    let workloads: [Workload]
    let optimizers: [String]
    /// cells[workload][optimizer].
    let cells: [String: [String: Cell]]

    init(_ results: ResultSet) throws {
        let experiment = try results.experiment(TuningProtocol.final)
        var workloads: [Workload] = [], optimizers: [String] = []
        var cells: [String: [String: Cell]] = [:]
        for group in try results.runGroups(TuningProtocol.final) {
            guard let workload = group["workload"], let optimizer = group["optimizer"] else { continue }
            let runs = try results.runs(TuningProtocol.final, group: group.name)
            let candidates = try runs[0].typed(TuningProtocol.FinalRun.self).candidates.map { try $0.typed(TuningProtocol.TrainingRun.self) }
            let spec = candidates[0].workload, grid = candidates.map { Double($0.optimizer.lr) }
            guard case .double(let target)? = experiment.analysis["target \(workload)"] else {
                throw SuiteError("\(results.paper): no target for workload '\(workload)' in the experiment's analysis settings")
            }
            if !workloads.contains(where: { $0.name == workload }) { workloads.append(Workload(name: workload, spec: spec, target: target)) }
            if !optimizers.contains(optimizer) { optimizers.append(optimizer) }
            let summaries = try results.summaries(TuningProtocol.final, group: group.name)
            let lr = summaries.compactMap { $0.final["lr"] }.first ?? .nan
            var cell = Cell(lr: lr, atGridEdge: lr == grid.min() || lr == grid.max(),
                            final: RunValues(seeds: runs.map(\.seed), values: summaries.map { Self.finalValidation($0, spec.direction) }),
                            stepsToTarget: [], secondsToTarget: [])
            for (run, summary) in zip(runs, summaries) {
                let table = try results.store.metrics(run)
                let (steps, values, seconds) = (try table.required("step"), try table.required("val"), try table.required("train_seconds"))
                // A run that diverged counts as never reaching the target, even if it passed it first.
                let hit = summary.diverged ? nil : values.firstIndex { spec.direction.reaches($0, target: target) }
                cell.stepsToTarget.append(hit.map { steps[$0] } ?? .infinity)
                cell.secondsToTarget.append(hit.map { seconds[$0] } ?? .infinity)
            }
            cells[workload, default: [:]][optimizer] = cell
        }
        (self.workloads, self.optimizers, self.cells) = (workloads, optimizers, cells)
    }

    /// A run's final validation metric; the worst value when it diverged, whichever column went non-finite.
    static func finalValidation(_ summary: RunSummary, _ direction: MetricDirection) -> Double {
        summary.diverged ? direction.worst : (summary.final["val"] ?? direction.worst)
    }

    func cell(_ workload: String, _ optimizer: String) throws -> Cell {
        guard let cell = cells[workload]?[optimizer] else {
            throw SuiteError("optimizer-benchmark: no final runs of '\(optimizer)' on '\(workload)' (optimizers: \(optimizers.joined(separator: ", ")))")
        }
        return cell
    }

    /// The median cost to target of every optimizer on every workload (+∞: not reached by most seeds).
    func costs(_ cost: (Cell) -> Double) -> [[Double]] {
        workloads.map { w in optimizers.map { o in cells[w.name]?[o].map(cost) ?? .infinity } }
    }
}
