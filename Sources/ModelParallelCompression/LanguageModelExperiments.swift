import Dispatch
import Engine
import Foundation
import Suite
import Tasks

/// Experiments `lm-pretrain` and `lm` (§4 of the paper fine-tunes GPT-2 on WikiText-2 with cuts after
/// blocks 2, 5 and 8). Here the suite's character-level decoder on Tiny Shakespeare is pre-trained
/// once without compression (`lm-pretrain`, its parameters kept as the run's artifact), then every
/// method fine-tunes that model with compression between its stages (`lm`) on a fixed set of
/// training windows, so that AQ-SGD's per-sample memory sees each window once per epoch.
enum LanguageModelExperiments {
    static let pretrainID = "lm-pretrain", id = "lm"
    static let parametersFile = "parameters.bin"

    static func group(_ method: String) -> RunGroup { RunGroup(["method": method]) }

    /// Boundaries after blocks ⌊i·L/S⌋ − 1 for i = 1…S−1: for 12 blocks and 4 stages, after blocks
    /// 2, 5 and 8 (0-based), the paper's GPT-2 cuts.
    static func cutBlocks(layers: Int, stages: Int) -> [Int] {
        (1..<stages).map { $0 * layers / stages - 1 }
    }

    static func make(_ config: LMConfig, stages: Int, scale: Scale, paper: String) throws -> [Experiment] {
        let sweep = config.sweep(scale)
        let pretrain = try RunConfig(paper: paper, experiment: pretrainID, group: .named("pretrain"), seed: 0, typed: Pretraining(
            model: config.model, data: sweep.data, steps: sweep.pretrain.steps, batch: sweep.pretrain.batch, optimizer: sweep.pretrain.optimizer,
            evalBatches: sweep.evalBatches))
        var runs: [RunConfig] = []
        for method in config.methods {
            for seed in 0..<(method.key == true ? sweep.keySeeds : sweep.seeds) {
                runs.append(try RunConfig(paper: paper, experiment: id, group: group(method.name), seed: seed, typed: FineTuning(
                    boundary: method.boundary, stages: stages, pretrained: pretrain, windows: sweep.windows, epochs: sweep.epochs,
                    batch: sweep.batch, optimizer: sweep.optimizer, evalBatches: sweep.evalBatches)))
            }
        }
        let model = "\(config.model.layers)×d\(config.model.width) decoder"
        return [
            Experiment(id: pretrainID, title: "\(model) pre-trained without compression on Tiny Shakespeare (\(sweep.data.rawValue))",
                       runs: [pretrain], parameters: Pretraining.self, execute: executePretrain),
            Experiment(id: id, title: "\(model) fine-tuned in \(stages) stages on \(sweep.windows) fixed windows, \(sweep.epochs) epochs",
                       runs: runs, parameters: FineTuning.self, after: [pretrainID], exactMetrics: Pipeline.bitsMetrics, execute: execute),
        ]
    }

    /// The pre-training without compression every method fine-tunes from.
    struct Pretraining: RunParameters {
        @JSONEncoded var model: CharacterLMTask.Model
        var data: DataChoice
        var steps: Int
        var batch: Int
        @JSONEncoded var optimizer: OptimizerSpec
        var evalBatches: Int
    }

    /// One method's fine-tuning of the pre-trained run `pretrained` on `windows` fixed windows.
    struct FineTuning: RunParameters {
        @JSONEncoded var boundary: BoundarySpec
        var stages: Int
        @JSONEncoded var pretrained: RunConfig
        var windows: Int
        var epochs: Int
        var batch: Int
        @JSONEncoded var optimizer: OptimizerSpec
        var evalBatches: Int
    }

    static func task(_ pretrain: Pretraining, rng: RNG) throws -> CharacterLMTask {
        try CharacterLMTask(model: pretrain.model, data: pretrain.data, rng: rng)
    }

    @Sendable static func executePretrain(_ run: Pretraining, _ context: RunContext) throws {
        let task = try task(run, rng: context.rng)
        let (steps, batch, evalBatches) = (run.steps, run.batch, run.evalBatches)
        var optimizer = try run.optimizer.make()
        try context.admit(task.memoryEstimate(optimizer: optimizer, batch: batch))
        var windows = context.rng.stream("windows")
        var recent = 0.0, count = 0, done = 0
        context.expectedRows = (1...steps).filter { $0 % max(1, steps / 10) == 0 || $0 == steps }.count
        // At a logged step the window stream is the one state besides parameters and optimizer.
        if let state = context.resume() {
            done = try task.resume(state, batches: &windows)
            optimizer = try state.restore(optimizer, "optimizer")
        }
        for step in stride(from: done + 1, through: steps, by: 1) {
            recent += task.loss(task.train, offsets: task.randomOffsets(batch, rng: &windows), gradient: true)
            count += 1
            optimizer.step(task.store)
            if step % max(1, steps / 10) == 0 || step == steps {
                try context.log(step: step, ["train_loss": recent / Double(count), "val_loss": task.validationLoss(batches: evalBatches, batch: batch)])
                recent = 0
                count = 0
                try context.checkpoint(try task.checkpoint(step: step, optimizer: optimizer, batches: windows))
            }
        }
        try ParameterFile.write(task.store, to: context.artifacts.appendingPathComponent(parametersFile))
    }

    @Sendable static func execute(_ run: FineTuning, _ context: RunContext) throws {
        let task = try task(try run.pretrained.typed(Pretraining.self), rng: context.rng)
        try ParameterFile.read(into: task.store, from: try context.artifacts(of: run.pretrained).appendingPathComponent(parametersFile))
        let spec = run.boundary
        let pipeline = try Pipeline(stages: run.stages, spec: spec)
        let cuts = cutBlocks(layers: task.model.config.layers, stages: run.stages)
        func afterBlock(_ pass: BoundaryPass) -> (Int, Var) -> Var {
            let cut = pipeline.cut(pass)
            return { block, h in cuts.firstIndex(of: block).map { cut($0, h) } ?? h }
        }
        let (windowCount, epochs, batch, evalBatches) = (run.windows, run.epochs, run.batch, run.evalBatches)
        var optimizer = try run.optimizer.make()
        // The same windows for every method and seed; seeds change only their order.
        var fixed = RNG(seed: 0).stream("lm-fine-tuning-windows")
        let windows = task.randomOffsets(windowCount, rng: &fixed)
        let validation = task.validationOffsets(evalBatches * batch)

        func validationLoss(compressed: Bool) -> Double {
            stride(from: 0, to: validation.count, by: batch).map { start in
                let tape = Tape(parameters: task.store, recording: false)
                let offsets = Array(validation[start..<min(start + batch, validation.count)])
                return Double(task.lossVar(task.validation, offsets: offsets, on: tape, afterBlock: afterBlock(.inference(compressed: compressed))).value.item)
            }.reduce(0, +) / Double((validation.count + batch - 1) / batch)
        }
        func log(_ step: Int, epoch: Int, trainLoss: Double, bits: (Double, Double)) throws {
            let compressed = validationLoss(compressed: true)
            try context.log(step: step, [
                "epoch": Double(epoch), "train_loss": trainLoss, "val_loss_compressed": compressed,
                "val_loss_uncompressed": spec.forward.isIdentity ? compressed : validationLoss(compressed: false),
                "bits_fw_per_step": bits.0, "bits_bw_per_step": bits.1,
            ])
        }
        // A training step through the model uncut, and the boundaries' state for the residual
        // stream's T·d floats per window at each cut.
        try context.admit({
            var estimate = task.memoryEstimate(optimizer: optimizer, batch: batch)
            let width = task.context * task.model.config.block.width
            estimate.other["boundary state"] = pipeline.stateBytes(widths: Array(repeating: width, count: cuts.count), batch: batch, samples: windowCount)
            return estimate
        }())
        let stepsPerEpoch = windowCount / batch
        context.expectedRows = epochs + 1
        var step = 0, trainingNanoseconds: UInt64 = 0, finished = 0
        if let state = context.resume() {
            (finished, step, trainingNanoseconds) = (Int(try state.number("epochs")), Int(try state.number("step")), UInt64(try state.number("training_ns")))
            try state.read("parameters", into: &task.store.values)
            optimizer = try state.restore(optimizer, "optimizer")
            try pipeline.restore(state.arrays("pipeline"))
        } else {
            // Row 0: the pre-trained model, the same for every method (its train loss on the first batch of windows).
            try log(0, epoch: 0, trainLoss: task.loss(task.train, offsets: Array(windows.prefix(batch)), gradient: false), bits: (0, 0))
        }
        for epoch in finished..<epochs {
            var shuffle = context.rng.stream("order", epoch)
            let order = shuffle.permutation(windowCount)
            var lossSum = 0.0, bitsForward = 0, bitsBackward = 0
            for b in 0..<stepsPerEpoch {
                let ids = Array(order[(b * batch)..<((b + 1) * batch)])
                let start = DispatchTime.now().uptimeNanoseconds
                task.store.zeroGrads()
                do {
                    let tape = Tape(parameters: task.store)
                    let loss = task.lossVar(task.train, offsets: ids.map { windows[$0] }, on: tape,
                                            afterBlock: afterBlock(.training(epoch: epoch, samples: ids)))
                    tape.backward(loss)
                    lossSum += Double(loss.value.item)
                }
                optimizer.step(task.store)
                trainingNanoseconds += DispatchTime.now().uptimeNanoseconds - start
                let bits = pipeline.takeBits()
                bitsForward += bits.forward
                bitsBackward += bits.backward
                step += 1
            }
            try log(step, epoch: epoch + 1, trainLoss: lossSum / Double(stepsPerEpoch),
                    bits: (Double(bitsForward) / Double(stepsPerEpoch), Double(bitsBackward) / Double(stepsPerEpoch)))
            try context.checkpoint(try {
                var state = Checkpoint()
                state.numbers = ["epochs": Double(epoch + 1), "step": Double(step), "training_ns": Double(trainingNanoseconds)]
                state.set("parameters", task.store.values)
                try state.set("optimizer", optimizer: optimizer)
                state.set("pipeline", arrays: pipeline.saved)
                return state
            }())
        }
        context.setMeasurement("seconds_per_step", Double(trainingNanoseconds) / 1e9 / Double(max(step, 1)))
    }
}
