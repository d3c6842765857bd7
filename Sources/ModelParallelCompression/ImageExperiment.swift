import Dispatch
import Engine
import Foundation
import Suite
import Tasks

/// Experiment `image` (§4 of the paper: ResNet-18 on CIFAR-10 cut after layer1, layer2 and layer3
/// into four stages; here a smaller ResNet of BasicBlocks on Fashion-MNIST, see the README). Every
/// method trains the same model from the same initialisation with SGD (momentum, weight decay,
/// cosine schedule); after every epoch the test set is scored twice, with the forward compressors
/// on ("compressed inference") and off ("uncompressed inference").
enum ImageExperiment {
    static let id = "image"

    static func group(_ method: String) -> RunGroup { RunGroup(["method": method]) }

    static func make(_ config: ImageConfig, stages: Int, timeModel: TimeModelConfig, scale: Scale, paper: String) throws -> Experiment {
        let sweep = config.sweep(scale)
        var runs: [RunConfig] = []
        for method in config.methods {
            for seed in 0..<(method.key == true ? sweep.keySeeds : sweep.seeds) {
                runs.append(try RunConfig(paper: paper, experiment: id, group: group(method.name), seed: seed,
                                          typed: Run(method.boundary, stages: stages, model: config.model, sweep)))
            }
        }
        let title = "ResNet (\(config.model.blocks.map(String.init).joined(separator: "-")) blocks, width \(config.model.baseWidth)) on Fashion-MNIST (\(sweep.data.rawValue)), \(stages) stages, \(sweep.epochs) epochs"
        let analysis: [String: ConfigValue] = ["bandwidths": .list(timeModel.bandwidths.map { .double($0) }),
                                               "targetFraction": .double(timeModel.targetFraction)]
        return Experiment(id: id, title: title, runs: runs, parameters: Run.self, analysis: analysis, exactMetrics: Pipeline.bitsMetrics,
                          execute: execute)
    }

    /// One method's training with `boundary` compressors between `stages` stages.
    struct Run: RunParameters {
        @JSONEncoded var boundary: BoundarySpec
        var stages: Int
        @JSONEncoded var model: ResNet.Config
        var data: DataChoice
        /// Images used from each split; −1 for all of them (how the store has always keyed "all").
        var trainSize: Int
        var testSize: Int
        var epochs: Int
        var batch: Int
        @JSONEncoded var optimizer: OptimizerSpec
        var augment: Bool

        init(_ boundary: BoundarySpec, stages: Int, model: ResNet.Config, _ sweep: ImageConfig.Sweep) {
            self.boundary = boundary
            self.model = model
            optimizer = sweep.optimizer
            (self.stages, data, trainSize, testSize) = (stages, sweep.data, sweep.trainSize ?? -1, sweep.testSize ?? -1)
            (epochs, batch, augment) = (sweep.epochs, sweep.batch, sweep.augment)
        }
    }

    @Sendable static func execute(_ run: Run, _ context: RunContext) throws {
        let optional = { (n: Int) in n < 0 ? nil : n }
        let images = try FashionMNISTImages(run.data, trainSize: optional(run.trainSize), testSize: optional(run.testSize))
        let spec = run.boundary
        let (epochs, batch, augment) = (run.epochs, run.batch, run.augment)
        let optimizerSpec = run.optimizer
        var optimizer = try optimizerSpec.make()

        var builder = ParameterBuilder(rng: context.rng.stream("model"))
        let model = ResNet(run.model, builder: &builder)
        let store = builder.build()
        let pipeline = try Pipeline(stages: run.stages, spec: spec)

        try context.admit(PipelinedResNet.memoryEstimate(model, store, optimizer, pipeline, images, batch: batch))
        let stepsPerEpoch = images.trainCount / batch, totalSteps = epochs * stepsPerEpoch
        context.expectedRows = epochs
        var step = 0, trainingNanoseconds: UInt64 = 0, finished = 0
        // Between epochs: parameters, batch-norm running statistics, optimizer, boundary state; the
        // shuffles, augmentations and dropout masks come from streams keyed by epoch and step.
        if let state = context.resume() {
            (finished, step, trainingNanoseconds) = (Int(try state.number("epochs")), Int(try state.number("step")), UInt64(try state.number("training_ns")))
            try state.read("parameters", into: &store.values)
            for statistics in model.statistics {
                try state.read("\(statistics.name).mean", into: &statistics.mean)
                try state.read("\(statistics.name).variance", into: &statistics.variance)
            }
            optimizer = try state.restore(optimizer, "optimizer")
            try pipeline.restore(state.arrays("pipeline"))
        }
        for epoch in finished..<epochs {
            var shuffle = context.rng.stream("order", epoch)
            let order = shuffle.permutation(images.trainCount)
            var augmentation = context.rng.stream("augment", epoch)
            var lossSum = 0.0, bitsForward = 0, bitsBackward = 0
            for b in 0..<stepsPerEpoch {
                let ids = order[(b * batch)..<((b + 1) * batch)]
                let x = images.trainBatch(ids, augment: augment, rng: &augmentation)
                let start = DispatchTime.now().uptimeNanoseconds
                // Cosine schedule from γ to 0 over the run, per step.
                optimizer.learningRate = optimizerSpec.lr * Float(0.5 * (1 + cos(Double.pi * Double(step) / Double(totalSteps))))
                store.zeroGrads()
                do {
                    let tape = Tape(parameters: store)
                    let logits = model(tape.input(x), mode: .training(rng: context.rng.stream("dropout", step)),
                                       cut: PipelinedResNet.flattened(pipeline.cut(.training(epoch: epoch, samples: Array(ids)))))
                    let loss = softmaxCrossEntropy(logits, targets: ids.map { images.trainLabels[$0] })
                    tape.backward(loss)
                    lossSum += Double(loss.value.item)
                }
                optimizer.step(store)
                trainingNanoseconds += DispatchTime.now().uptimeNanoseconds - start
                let bits = pipeline.takeBits()
                bitsForward += bits.forward
                bitsBackward += bits.backward
                step += 1
            }
            let compressed = PipelinedResNet.evaluate(model, store, images, pipeline, compressed: true, batch: batch)
            let uncompressed = spec.forward.isIdentity ? compressed : PipelinedResNet.evaluate(model, store, images, pipeline, compressed: false, batch: batch)
            try context.log(step: step, [
                "epoch": Double(epoch + 1), "train_loss": lossSum / Double(stepsPerEpoch),
                "test_acc_compressed": compressed.accuracy, "test_acc_uncompressed": uncompressed.accuracy,
                "test_loss_compressed": compressed.loss, "test_loss_uncompressed": uncompressed.loss,
                "bits_fw_per_step": Double(bitsForward) / Double(stepsPerEpoch), "bits_bw_per_step": Double(bitsBackward) / Double(stepsPerEpoch),
            ])
            try context.checkpoint(try {
                var state = Checkpoint()
                state.numbers = ["epochs": Double(epoch + 1), "step": Double(step), "training_ns": Double(trainingNanoseconds)]
                state.set("parameters", store.values)
                for statistics in model.statistics {
                    state.set("\(statistics.name).mean", statistics.mean)
                    state.set("\(statistics.name).variance", statistics.variance)
                }
                try state.set("optimizer", optimizer: optimizer)
                state.set("pipeline", arrays: pipeline.saved)
                return state
            }())
        }
        context.setMeasurement("seconds_per_step", Double(trainingNanoseconds) / 1e9 / Double(max(step, 1)))
    }
}
