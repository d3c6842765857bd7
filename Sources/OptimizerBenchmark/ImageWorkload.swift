import Engine
import Suite
import Tasks

/// The model-parallel paper's image task as a workload: its ResNet on Fashion-MNIST, cut after each
/// layer into pipeline stages whose boundaries compress activations and gradients as `boundary`
/// says (none, or TopK both ways). Minibatches are `batch` training images drawn with replacement;
/// the validation metric is the classification error on the first `validationSize` images of the
/// test split (which no workload trains on), through the compressed boundaries, as the model
/// would run after training with them; its cross-entropy is logged beside it (`val_loss`). Batch-norm running statistics and the boundaries' state
/// are part of a checkpoint.
final class ImageWorkload: BenchmarkWorkload {
    struct Spec: Codable, Hashable, Sendable {
        var model: ResNet.Config
        var boundary: BoundarySpec
        var data: DataChoice
        /// Training images used (nil: all of the split), and validation images.
        var trainSize: Int?
        var validationSize: Int
        var batch: Int

        func validate(_ check: ConfigCheck, section: String) throws {
            try check(model.inputChannels == 1 && model.height == 28 && model.width == 28 && model.classes == 10,
                      "\(section): image.model must read Fashion-MNIST: inputChannels 1, height 28, width 28, classes 10")
            try check.counts(["image.model.baseWidth": model.baseWidth], in: section, maximum: 1024)
            try check(model.blocks.count == 4 && model.blocks.allSatisfy { (1...64).contains($0) },
                      "\(section): image.model.blocks must give 1…64 blocks to each of 4 layers, got \(model.blocks)")
            try check.counts(["image.batch": batch], in: section, minimum: 2)
            try check.counts(["image.trainSize": trainSize ?? batch], in: section, minimum: batch)
            try check.counts(["image.validationSize": validationSize], in: section)
            try check { try boundary.validate() }
        }
    }

    let store: ParameterStore
    private let model: ResNet
    private let pipeline: Pipeline
    private let images: FashionMNISTImages
    private let spec: Spec
    /// Minibatches drawn so far: the pipeline's epoch (`steps / stepsPerEpoch`) for boundaries that keep per-epoch state.
    private var steps = 0

    init(_ spec: Spec, rng: RNG) throws {
        images = try FashionMNISTImages(spec.data, trainSize: spec.trainSize, testSize: spec.validationSize)
        var builder = ParameterBuilder(rng: rng.stream("model"))
        model = ResNet(spec.model, builder: &builder)
        store = builder.build()
        pipeline = try Pipeline(stages: spec.model.blocks.count, spec: spec.boundary)
        self.spec = spec
    }

    func minibatchGradient(batches: inout RNG) {
        let ids = (0..<spec.batch).map { _ in batches.int(below: images.trainCount) }
        let x = images.trainBatch(ids[...], augment: false, rng: &batches)
        store.zeroGrads()
        let tape = Tape(parameters: store)
        let epoch = steps * spec.batch / images.trainCount
        // The ResNet has no dropout; the stream is keyed by the step as a model with dropout needs.
        let logits = model(tape.input(x), mode: .training(rng: batches.stream("dropout", steps)),
                           cut: PipelinedResNet.flattened(pipeline.cut(.training(epoch: epoch, samples: ids))))
        tape.backward(softmaxCrossEntropy(logits, targets: ids.map { images.trainLabels[$0] }))
        _ = pipeline.takeBits()
        steps += 1
    }

    func validate() -> (metric: Double, details: [(key: String, value: Double)]) {
        let result = PipelinedResNet.evaluate(model, store, images, pipeline, compressed: true, batch: spec.batch)
        return (1 - result.accuracy, [("val_loss", result.loss)])
    }

    func referenceGradient(batches: Int) throws -> [Float] {
        let used = batches > 0 ? min(images.trainCount, batches * spec.batch) : images.trainCount
        // Taken as the minibatch gradients are (batch norm in training mode, the boundaries
        // compressing both ways); the running statistics and boundary state these passes move are
        // put back.
        let running = model.statistics.map { ($0.mean, $0.variance) }, boundaries = pipeline.saved
        var unused = RNG(seed: 0)
        let epoch = steps * spec.batch / images.trainCount
        let mean = store.meanGradient(items: used, batch: spec.batch) { range in
            let ids = Array(range)
            store.zeroGrads()
            let tape = Tape(parameters: store)
            let logits = model(tape.input(images.trainBatch(ids[...], augment: false, rng: &unused)), mode: .training(rng: unused),
                               cut: PipelinedResNet.flattened(pipeline.cut(.training(epoch: epoch, samples: ids))))
            tape.backward(softmaxCrossEntropy(logits, targets: ids.map { images.trainLabels[$0] }))
        }
        _ = pipeline.takeBits()
        for (statistics, (m, v)) in zip(model.statistics, running) { (statistics.mean, statistics.variance) = (m, v) }
        try pipeline.restore(boundaries)
        return mean
    }

    func memoryEstimate(optimizer: any Optimizer) -> MemoryEstimate? {
        PipelinedResNet.memoryEstimate(model, store, optimizer, pipeline, images, batch: spec.batch)
    }

    func save(into state: inout Checkpoint) throws {
        state.numbers["image_steps"] = Double(steps)
        for statistics in model.statistics {
            state.set("\(statistics.name).mean", statistics.mean)
            state.set("\(statistics.name).variance", statistics.variance)
        }
        state.set("pipeline", arrays: pipeline.saved)
    }

    func restore(from state: Checkpoint) throws {
        steps = Int(try state.number("image_steps"))
        for statistics in model.statistics {
            try state.read("\(statistics.name).mean", into: &statistics.mean)
            try state.read("\(statistics.name).variance", into: &statistics.variance)
        }
        try pipeline.restore(state.arrays("pipeline"))
    }
}
