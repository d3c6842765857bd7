import Engine

/// One step of each mode a workload times on the engine, built once and reused every round.
typealias EngineSteps = [Mode: () -> Void]

/// Builds `workload` on the engine (for sgemm, its product of `shape`). Every model trains with a
/// recording tape in training mode and infers with a non-recording tape in evaluation mode, as
/// `torch.no_grad()` with `model.eval()` on the PyTorch side.
func engineSteps(_ workload: Workload, shape: [Int]?) -> EngineSteps {
    switch workload {
    case .mlp: return mlpSteps()
    case .gpt: return gptSteps(layers: 2, width: 128, heads: 4, context: 64, seed: 3)
    case .gptLarge: return gptSteps(layers: 4, width: 256, heads: 8, context: 128, seed: 11)
    case .resnet: return resnetSteps()
    case .sasrec:
        var builder = ParameterBuilder(rng: RNG(seed: 7))
        let block = TransformerBlock.Config(width: 64, heads: 2, hidden: 256, dropout: 0.2, activation: .exactGELU)
        let model = SASRecEncoder(.init(items: 23715, maxLength: 50, layers: 2, block: block), builder: &builder)
        return recommenderSteps(model, builder.build(), seed: 8)
    case .mamba4rec:
        var builder = ParameterBuilder(rng: RNG(seed: 9))
        let model = Mamba4Rec(.init(items: 23715, layers: 1, width: 64, stateSize: 32, convWidth: 4, expand: 2, dropout: 0.2),
                              builder: &builder)
        return recommenderSteps(model, builder.build(), seed: 10)
    case .sgemm: return gemmSteps(m: shape![0], n: shape![1], k: shape![2])
    case .conv: return convolutionSteps(shape!)
    }
}

/// A training step: fresh gradients, `loss` recorded on a tape and differentiated, one optimizer step.
private func trainingStep<O: Optimizer>(_ store: ParameterStore, _ optimizer: O, loss: @escaping (Tape) -> Var) -> () -> Void {
    var optimizer = optimizer
    return {
        store.zeroGrads()
        do {
            let tape = Tape(parameters: store)
            tape.backward(loss(tape))
        }
        optimizer.step(store)
    }
}

/// An inference batch: `forward` on a tape that records nothing to differentiate.
private func inferenceStep(_ store: ParameterStore, forward: @escaping (Tape) -> Var) -> () -> Void {
    {
        // A `Var` refers to its tape without owning it: the tape must outlive reading the output.
        let tape = Tape(parameters: store, recording: false)
        withExtendedLifetime(tape) { _ = forward(tape).value }
    }
}

private func mlpSteps() -> EngineSteps {
    var builder = ParameterBuilder(rng: RNG(seed: 1))
    let model = MLP(.init(sizes: [784, 256, 256, 10]), builder: &builder)
    let store = builder.build()
    var data = RNG(seed: 2)
    let x = Tensor.normal([128, 784], rng: &data)
    let y = (0..<128).map { _ in data.int(below: 10) }
    return [
        .train: trainingStep(store, Adam(learningRate: 1e-3)) { softmaxCrossEntropy(model($0.input(x)), targets: y) },
        .inference: inferenceStep(store) { model($0.input(x)) },
    ]
}

/// GPT decoder (GPT-style blocks, untied head, no dropout) over `context` tokens, batch 32, vocabulary 65.
private func gptSteps(layers: Int, width: Int, heads: Int, context: Int, seed: UInt64) -> EngineSteps {
    let (batch, vocabulary) = (32, 65)
    var builder = ParameterBuilder(rng: RNG(seed: seed))
    let block = TransformerBlock.Config(width: width, heads: heads, dropout: 0, style: .gpt)
    let model = GPTDecoder(.init(vocabulary: vocabulary, context: context, layers: layers, block: block, tiedHead: false),
                           builder: &builder)
    let store = builder.build()
    var data = RNG(seed: seed + 1)
    let ids = (0..<(batch * context)).map { _ in data.int(below: vocabulary) }
    let targets = (0..<(batch * context)).map { _ in data.int(below: vocabulary) }
    let dropout = data.stream("dropout")
    return [
        .train: trainingStep(store, Adam(learningRate: 1e-3)) {
            softmaxCrossEntropy(model(ids, batch: batch, mode: .training(rng: dropout), on: $0), targets: targets)
        },
        .inference: inferenceStep(store) { model(ids, batch: batch, mode: .evaluation, on: $0) },
    ]
}

/// The image model of the model-parallel reproduction; inference normalises with BatchNorm's running statistics.
private func resnetSteps() -> EngineSteps {
    var builder = ParameterBuilder(rng: RNG(seed: 5))
    let model = ResNet(.init(inputChannels: 1, height: 28, width: 28, classes: 10, baseWidth: 16, blocks: [1, 1, 1, 1]),
                       builder: &builder)
    let store = builder.build()
    var data = RNG(seed: 6)
    let x = Tensor.normal([128, 1, 28, 28], rng: &data)
    let y = (0..<128).map { _ in data.int(below: 10) }
    let dropout = data.stream("dropout")
    return [
        .train: trainingStep(store, SGD(learningRate: 0.05, momentum: 0.9, weightDecay: 5e-4)) {
            softmaxCrossEntropy(model($0.input(x), mode: .training(rng: dropout)), targets: y)
        },
        .inference: inferenceStep(store) { model($0.input(x), mode: .evaluation) },
    ]
}

/// A sequential recommender on batch 256 of full-length (L 50, no padding) random item sequences.
/// Training: cross-entropy over every item id at every position, Adam. Inference: the scores
/// `[256, items + 1]` of each sequence's last position.
private func recommenderSteps<Model: SequentialRecommender>(_ model: Model, _ store: ParameterStore, seed: UInt64) -> EngineSteps {
    let (batch, length) = (256, 50)
    var data = RNG(seed: seed)
    let ids = (0..<(batch * length)).map { _ in 1 + data.int(below: model.items) }
    let targets = (0..<(batch * length)).map { _ in 1 + data.int(below: model.items) }
    let dropout = data.stream("dropout")
    let last = (0..<batch).map { $0 * length + length - 1 }
    return [
        .train: trainingStep(store, Adam(learningRate: 1e-3)) { tape in
            let hidden = model(ids, batch: batch, mode: .training(rng: dropout), on: tape)
            // The engine's recommender loss: the same cross-entropy over all items as PyTorch's
            // F.cross_entropy(h @ Eᵀ), fused so the [12800, 23716] logits are never stored.
            let flat = hidden.reshaped([batch * length, hidden.shape[2]])
            return projectedSoftmaxCrossEntropy(flat, table: tape.param(model.itemTable), targets: targets)
        },
        .inference: inferenceStep(store) { tape in
            let hidden = model(ids, batch: batch, mode: .evaluation, on: tape)
            return model.scores(gatherRows(hidden.reshaped([batch * length, hidden.shape[2]]), ids: last, shape: [batch]))
        },
    ]
}

/// C = AB through `Tensor.matmul` (allocates C, the engine's overhead included) and through
/// `cblas_sgemm` into a preallocated C.
private func gemmSteps(m: Int, n: Int, k: Int) -> EngineSteps {
    var rng = RNG(seed: 0)
    let a = Tensor.normal([m, k], rng: &rng), b = Tensor.normal([k, n], rng: &rng)
    var c = Tensor(zeros: [m, n])
    return [
        .matmul: { _ = Tensor.matmul(a, b) },
        .blas: {
            a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in c.withUnsafeMutableBufferPointer { pc in
                BLAS.gemm(transposeA: false, transposeB: false, m: m, n: n, k: k,
                          a: pa.baseAddress!, lda: k, b: pb.baseAddress!, ldb: n, c: pc.baseAddress!, ldc: n)
            }}}
        },
    ]
}

/// One convolution of `Workload.convolutionShapes` ([C, F, size, kernel, stride, padding], no bias):
/// the forward pass on a tape that records nothing, and each half of its backward alone.
private func convolutionSteps(_ shape: [Int]) -> EngineSteps {
    let (c, f, size, kernel, stride, padding) = (shape[0], shape[1], shape[2], shape[3], shape[4], shape[5])
    let (batch, side) = (Workload.convolutionBatch, Workload.convolutionOutputSize(shape))
    var rng = RNG(seed: 12)
    let x = Tensor.normal([batch, c, size, size], rng: &rng), w = Tensor.normal([f, c, kernel, kernel], rng: &rng)
    let g = Tensor.normal([batch, f, side, side], rng: &rng)
    return [
        .forward: {
            let tape = Tape(recording: false)
            withExtendedLifetime(tape) {
                _ = conv2d(tape.input(x), weight: tape.input(w), bias: nil, stride: stride, padding: padding).value
            }
        },
        .inputGradient: { _ = conv2dInputGradient(g, weight: w, inputShape: x.shape, stride: stride, padding: padding) },
        .weightGradient: { _ = conv2dWeightGradient(g, input: x, weightShape: w.shape, stride: stride, padding: padding) },
    ]
}
