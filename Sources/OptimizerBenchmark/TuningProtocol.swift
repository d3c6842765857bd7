import Engine
import Foundation
import Suite

/// The benchmark's tuning protocol, the same for every optimizer (like AlgoPerf's external tuning
/// ruleset): on each workload, every optimizer runs every step size of the workload's grid for
/// `tuningSeeds` seeds with the same step budget (`tune`); the step size with the best mean final
/// validation metric over those seeds is chosen (a diverged run counts as the worst value; a tie
/// goes to the smaller step size); the chosen setting then runs on `finalSeeds` fresh seeds
/// (`final`), and only those runs are reported. Tuning runs are ordinary runs of the store.
enum TuningProtocol {
    static let tune = "tune", final = "final"

    /// One training run: an optimizer at one step size on a workload.
    struct TrainingRun: RunParameters {
        @JSONEncoded var optimizer: OptimizerSpec
        @JSONEncoded var workload: WorkloadSpec
    }

    /// A final run: the tuning runs it chooses among (every grid point and tuning seed of its
    /// workload and optimizer), so its key changes whenever what it chooses from does.
    struct FinalRun: RunParameters {
        @JSONEncoded var candidates: [RunConfig]
    }

    static func tuneGroup(_ workload: String, _ optimizer: String, lr: Double) -> RunGroup {
        RunGroup(["workload": workload, "optimizer": optimizer, "lr": lrText(lr)])
    }

    static func finalGroup(_ workload: String, _ optimizer: String) -> RunGroup {
        RunGroup(["workload": workload, "optimizer": optimizer])
    }

    static func lrText(_ lr: Double) -> String { String(format: "%g", lr) }

    static func experiments(_ config: BenchmarkConfig, scale: Scale, paper: String, registry: OptimizerRegistry) throws -> [Experiment] {
        let sweep = config.sweep(scale)
        var tuning: [RunConfig] = [], finals: [RunConfig] = []
        for entry in sweep.workloads {
            let workload = entry.workload
            for optimizer in config.optimizers {
                var candidates: [RunConfig] = []
                for lr in entry.lrGrid.values {
                    for s in 0..<(entry.tuningSeeds ?? sweep.tuningSeeds) {
                        candidates.append(try RunConfig(
                            paper: paper, experiment: tune, group: tuneGroup(workload.name, optimizer.name, lr: lr),
                            seed: BenchmarkConfig.tuningSeedBase + s,
                            typed: TrainingRun(optimizer: optimizer.spec(lr: lr), workload: workload)))
                    }
                }
                tuning += candidates
                for seed in 0..<(entry.finalSeeds ?? sweep.finalSeeds) {
                    finals.append(try RunConfig(paper: paper, experiment: final, group: finalGroup(workload.name, optimizer.name), seed: seed,
                                                typed: FinalRun(candidates: candidates)))
                }
            }
        }
        let analysis = analysisSettings(sweep)
        return [
            Experiment(id: tune, title: "tuning: every optimizer at every step size of each workload's grid", runs: tuning,
                       parameters: TrainingRun.self, analysis: analysis) { run, context in try train(run, context, registry: registry) },
            Experiment(id: final, title: "final runs of each optimizer's chosen step size, on fresh seeds", runs: finals,
                       parameters: FinalRun.self, after: [tune], analysis: analysis) { run, context in
                try finalRun(run, context, registry: registry)
            },
        ]
    }

    /// Each workload's target: read by tables, figures and claims, keyed by no run.
    static func analysisSettings(_ sweep: BenchmarkConfig.Sweep) -> [String: ConfigValue] {
        Dictionary(uniqueKeysWithValues: sweep.workloads.map { ("target \($0.workload.name)", ConfigValue.double($0.target)) })
    }

    /// `steps` of the optimizer on the workload, logging the validation metric (`val`) at step 0 and
    /// every `evalEvery` steps, with the training seconds so far (`train_seconds`, a measurement:
    /// evaluation time excluded). Checkpoints at each logged step.
    static func train(_ run: TrainingRun, _ context: RunContext, registry: OptimizerRegistry) throws {
        let spec = run.workload
        let workload = try spec.make(rng: context.rng)
        var optimizer = try run.optimizer.make(in: registry)
        if let estimate = workload.memoryEstimate(optimizer: optimizer) { try context.admit(estimate) }
        context.measuredColumns = ["train_seconds"]
        context.expectedRows = spec.loggedRows
        var batches = context.rng.stream("batches")
        var step = 0, seconds = 0.0
        func log(_ step: Int, _ seconds: Double) throws {
            let validation = workload.validate()
            try context.log(step: step, [("val", validation.metric)] + validation.details + [("train_seconds", seconds)])
        }
        if let state = context.resume() {
            try state.read("parameters", into: &workload.store.values)
            optimizer = try state.restore(optimizer, "optimizer")
            batches = try state.decode(RNG.self, "batches")
            step = Int(try state.number("step"))
            seconds = try state.number("train_seconds")
            try workload.restore(from: state)
        } else {
            try log(0, seconds)
        }
        while step < spec.steps {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<min(spec.evalEvery, spec.steps - step) {
                workload.minibatchGradient(batches: &batches)
                optimizer.step(workload.store)
                step += 1
            }
            seconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            try log(step, seconds)
            try context.checkpoint(try {
                var state = Checkpoint()
                state.numbers = ["step": Double(step), "train_seconds": seconds]
                state.set("parameters", workload.store.values)
                try state.set("optimizer", optimizer: optimizer)
                try state.set("batches", encoding: batches)
                try workload.save(into: &state)
                return state
            }())
        }
    }

    /// Chooses the step size from the finished tuning runs, then trains it on this run's seed; the
    /// choice is the final metric `lr`.
    static func finalRun(_ run: FinalRun, _ context: RunContext, registry: OptimizerRegistry) throws {
        var scores: [(lr: Double, values: [Double], training: TrainingRun)] = []
        for candidate in run.candidates {
            let training = try candidate.typed(TrainingRun.self)
            let lr = Double(training.optimizer.lr)
            let value = BenchmarkResults.finalValidation(try context.summary(of: candidate), training.workload.direction)
            if let i = scores.firstIndex(where: { $0.lr == lr }) { scores[i].values.append(value) } else { scores.append((lr, [value], training)) }
        }
        guard let best = choose(scores.map { ($0.lr, $0.values) }, scores.first?.training.workload.direction ?? .lower), let chosen = scores.first(where: { $0.lr == best }) else {
            throw SuiteError("\(context.config.label): no tuning runs to choose a step size from")
        }
        // Set first: a final run that diverges keeps its choice in its summary.
        context.setFinal("lr", best)
        try train(chosen.training, context, registry: registry)
    }

    /// The step size whose values (the worst value for a diverged run) have the best mean; ties,
    /// and grids where every run diverged, go to the smallest step size.
    static func choose(_ candidates: [(lr: Double, values: [Double])], _ direction: MetricDirection) -> Double? {
        let ordered = candidates.sorted { $0.lr < $1.lr }
        var best: (lr: Double, mean: Double)?
        for (lr, values) in ordered {
            let mean = values.contains(direction.worst) ? direction.worst : values.reduce(0, +) / Double(values.count)
            if best == nil || direction.isBetter(mean, than: best!.mean) { best = (lr, mean) }
        }
        return best?.lr
    }
}
