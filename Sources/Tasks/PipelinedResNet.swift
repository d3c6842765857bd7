import Engine

/// The model-parallel paper's image model as more than one target trains it: a `ResNet` whose layers
/// are cut into pipeline stages with compressed boundaries (`Pipeline`), on Fashion-MNIST.
public enum PipelinedResNet {
    /// The run's `MemoryEstimate`: a training step on `batch` images through the model uncut, and
    /// the boundaries' state for the activation widths at the cuts. The probe's batch-norm updates
    /// are undone, so the run computes what it would without it.
    public static func memoryEstimate(_ model: ResNet, _ store: ParameterStore, _ optimizer: any Optimizer, _ pipeline: Pipeline,
                                      _ images: FashionMNISTImages, batch: Int) -> MemoryEstimate {
        let running = model.statistics.map { ($0.mean, $0.variance) }
        var widths: [Int] = []
        var unused = RNG(seed: 0)
        var estimate = MemoryEstimate.measured(parameters: store, optimizer: optimizer, batch: batch) { n in
            let tape = Tape(parameters: store)
            let x = images.trainBatch((0..<n).map { $0 % images.trainCount }[...], augment: false, rng: &unused)
            let logits = model(tape.input(x), mode: .training(rng: unused), cut: { i, h in
                if widths.count < pipeline.boundaries.count { widths.append(h.value.count / n) }
                return h
            })
            tape.backward(softmaxCrossEntropy(logits, targets: Array(repeating: 0, count: n)))
        }
        for (statistics, (mean, variance)) in zip(model.statistics, running) { (statistics.mean, statistics.variance) = (mean, variance) }
        if !pipeline.boundaries.isEmpty {
            estimate.other["boundary state"] = pipeline.stateBytes(widths: widths, batch: batch, samples: images.trainCount)
        }
        return estimate
    }

    /// The boundary sees each sample's feature map as one row `[N, C·H·W]`, so a per-channel scale
    /// (AC-SGD's quantizer) is per feature, as the official ResNet code applies it.
    public static func flattened(_ cut: @escaping (Int, Var) -> Var) -> (Int, Var) -> Var {
        { i, h in cut(i, h.reshaped([h.shape[0], -1])).reshaped(h.shape) }
    }

    /// Test accuracy and mean cross-entropy, with the forward compressors on or off.
    public static func evaluate(_ model: ResNet, _ store: ParameterStore, _ images: FashionMNISTImages, _ pipeline: Pipeline, compressed: Bool,
                                batch: Int) -> (accuracy: Double, loss: Double) {
        var correct = 0, lossSum = 0.0
        for start in stride(from: 0, to: images.testCount, by: batch) {
            let range = start..<min(start + batch, images.testCount)
            let tape = Tape(parameters: store, recording: false)
            let logits = model(tape.input(images.testBatch(range)), mode: .evaluation, cut: flattened(pipeline.cut(.inference(compressed: compressed))))
            let labels = Array(images.testLabels[range])
            lossSum += Double(softmaxCrossEntropy(logits, targets: labels).value.item) * Double(range.count)
            correct += Accuracy.correct(logits.value, labels: labels)
        }
        return (Double(correct) / Double(images.testCount), lossSum / Double(images.testCount))
    }
}
