import Engine
import Suite
import Tasks

/// How heavy-tailed is each workload's minibatch noise? The measurement of the heavy-tailed-clipping
/// paper (§4, its `check_tails` scripts) on every workload: after `checkpoint` steps of the probe's
/// optimizer, `samples` minibatch gradients g_b against the reference gradient g, and Hill's
/// estimate of the tail index of ‖g_b − g‖ (below 2: infinite variance). Rankings are read against it.
enum NoiseProfileExperiment {
    static let id = "noise"

    static func group(_ workload: String, checkpoint: Int) -> RunGroup {
        RunGroup(["workload": workload, "checkpoint": String(checkpoint)])
    }

    struct Run: RunParameters {
        @JSONEncoded var workload: WorkloadSpec
        @JSONEncoded var optimizer: OptimizerSpec
        var checkpoint: Int
        var samples: Int
        var referenceBatches: Int
    }

    static func make(_ config: BenchmarkConfig, scale: Scale, paper: String) throws -> Experiment {
        let runs = try config.sweep(scale).workloads.flatMap { entry in
            try entry.noise.checkpoints.map { checkpoint in
                try RunConfig(paper: paper, experiment: id, group: group(entry.workload.name, checkpoint: checkpoint), seed: 0, typed: Run(
                    workload: entry.workload, optimizer: entry.noise.optimizer, checkpoint: checkpoint, samples: entry.noise.samples,
                    referenceBatches: entry.noise.referenceBatches))
            }
        }
        return Experiment(id: id, title: "minibatch gradient noise ‖g_b − g‖ of each workload", runs: runs, parameters: Run.self,
                          execute: execute)
    }

    @Sendable static func execute(_ run: Run, _ context: RunContext) throws {
        let workload = try run.workload.make(rng: context.rng)
        var optimizer = try run.optimizer.make()
        if let estimate = workload.memoryEstimate(optimizer: optimizer) { try context.admit(estimate) }
        var batches = context.rng.stream("batches")
        for _ in 0..<run.checkpoint {
            workload.minibatchGradient(batches: &batches)
            optimizer.step(workload.store)
        }
        let reference = try workload.referenceGradient(batches: run.referenceBatches)
        var probe = context.rng.stream("noise-minibatches")
        let norms = try NoiseNorms.measure(samples: run.samples, reference: reference, store: workload.store, context: context) {
            workload.minibatchGradient(batches: &probe)
        }
        let alpha = HillEstimator.tailIndexEstimate(norms)
        context.setFinal("hill_tail_index", alpha.value)
        context.setFinal("hill_lower", alpha.lower)
        context.setFinal("hill_upper", alpha.upper)
        context.setFinal("reference_grad_norm", Double(BLAS.norm2(reference.count, reference)))
    }
}
