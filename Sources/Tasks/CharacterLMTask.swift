import Datasets
import Engine
import Foundation
import Suite

/// A character-level decoder on Tiny Shakespeare: the data, the model, and the loss and gradient
/// of a batch of windows. The real-model experiment of more than one paper (training runs, the
/// gradient-noise probe, sign methods on a small language model) runs on it.
public final class CharacterLMTask {
    /// The decoder's shape, as written in a paper's experiments.yaml.
    public struct Model: Codable, Sendable, Hashable {
        public var layers: Int
        public var width: Int
        public var heads: Int
        /// Characters per training sequence (T).
        public var context: Int
        /// gpt (LayerNorm, GELU MLP; the default) or llama (RMSNorm, SiLU-gated MLP).
        public var style: TransformerBlock.Style?

        public init(layers: Int, width: Int, heads: Int, context: Int, style: TransformerBlock.Style? = nil) {
            self.layers = layers
            self.width = width
            self.heads = heads
            self.context = context
            self.style = style
        }

        /// Sizes ≥ 1 and a width that splits into the heads.
        public func validate(_ check: ConfigCheck) throws {
            try check.counts(["layers": layers, "width": width, "heads": heads, "context": context], in: "model")
            try check(width % heads == 0, "model.width \(width) is not divisible by \(heads) heads")
        }
    }

    public let train: [Int], validation: [Int]
    public let vocabulary: Int
    public let context: Int
    public let model: GPTDecoder
    public let store: ParameterStore
    public let provenance: String

    public init(model config: Model, data choice: DataChoice, rng: RNG) throws {
        let cache = DatasetCache(root: DatasetCache.defaultRoot) { _ in }
        let dataset = choice == .sample ? try cache.loadSample(TinyShakespeare.spec.name)
                                        : try cache.load(TinyShakespeare.spec.name, allowSample: false)
        func ids(_ name: String) throws -> [Int] {
            guard case .int32(let values) = try dataset.array(name).storage else {
                throw SuiteError("\(dataset.name): array '\(name)' is not int32; rebuild the cache with `repro datasets verify`")
            }
            return values.map(Int.init)
        }
        train = try ids("train.ids")
        validation = try ids("validation.ids")
        vocabulary = try dataset.array("vocabulary").elementCount
        context = config.context
        guard train.count > context + 1, validation.count > context + 1 else {
            throw SuiteError("\(dataset.name): splits of \(train.count) and \(validation.count) characters are too short for sequences of \(context)")
        }
        provenance = dataset.provenance
        var builder = ParameterBuilder(rng: rng.stream("model"))
        let block = TransformerBlock.Config(width: config.width, heads: config.heads, dropout: 0, style: config.style ?? .gpt)
        model = GPTDecoder(.init(vocabulary: vocabulary, context: context, layers: config.layers, block: block, tiedHead: false),
                           builder: &builder)
        store = builder.build()
    }

    /// `count` windows of T + 1 characters at uniformly random offsets of the train split.
    public func randomOffsets(_ count: Int, rng: inout RNG) -> [Int] {
        (0..<count).map { _ in rng.int(below: train.count - context - 1) }
    }

    /// Mean next-character cross-entropy over the windows starting at `offsets` of `text`; with
    /// `gradient`, its gradient is left in `store.grads` (overwritten, not accumulated).
    public func loss(_ text: [Int], offsets: [Int], gradient: Bool) -> Double {
        if gradient { store.zeroGrads() }
        let tape = Tape(parameters: store, recording: gradient)
        let loss = lossVar(text, offsets: offsets, on: tape)
        if gradient { tape.backward(loss) }
        return Double(loss.value.scalars[0])
    }

    /// The same loss as a node of `tape`; `afterBlock` sees the residual stream after each block
    /// (where a model-parallel split puts its stage boundaries).
    public func lossVar(_ text: [Int], offsets: [Int], on tape: Tape, afterBlock: (Int, Var) -> Var = { $1 }) -> Var {
        var ids = [Int](), targets = [Int]()
        ids.reserveCapacity(offsets.count * context)
        targets.reserveCapacity(offsets.count * context)
        for start in offsets {
            ids += text[start..<(start + context)]
            targets += text[(start + 1)...(start + context)]
        }
        return softmaxCrossEntropy(model(ids, batch: offsets.count, mode: .evaluation, on: tape, afterBlock: afterBlock), targets: targets)
    }

    /// Offsets of `windows` windows spread evenly over the validation split: the same windows for
    /// every method and seed.
    public func validationOffsets(_ windows: Int) -> [Int] {
        let span = validation.count - context - 1
        return (0..<windows).map { span * $0 / max(windows, 1) }
    }

    /// Validation loss on `batches` batches of windows spread evenly over the validation split: the
    /// same windows for every method and seed.
    public func validationLoss(batches: Int, batch: Int) -> Double {
        let windows = batches * batch
        let offsets = validationOffsets(windows)
        return stride(from: 0, to: windows, by: batch).map { loss(validation, offsets: Array(offsets[$0..<min($0 + batch, windows)]), gradient: false) }
            .reduce(0, +) / Double((windows + batch - 1) / batch)
    }

    /// The mean gradient over consecutive windows of the train split (all of them, or the first
    /// `batches` batches of `batch` windows), each batch weighted by its share of the windows: the
    /// g that minibatch gradients scatter around. Returns it and how many windows it averaged;
    /// `store.grads` is left holding the last batch's gradient.
    public func meanGradient(batches: Int, batch: Int) -> (gradient: [Float], windows: Int) {
        let windows = (train.count - 1) / context
        let used = batches > 0 ? min(windows, batches * batch) : windows
        let mean = store.meanGradient(items: used, batch: batch) { chunk in
            _ = loss(train, offsets: chunk.map { $0 * context }, gradient: true)
        }
        return (mean, used)
    }

    /// What training this model with `optimizer` (nil: state the caller counts in `other`) on
    /// batches of `batch` windows needs at its peak (`MemoryEstimate`).
    public func memoryEstimate(optimizer: (any Optimizer)?, batch: Int, other: [String: Int] = [:]) -> MemoryEstimate {
        MemoryEstimate.measured(parameters: store, optimizer: optimizer, batch: batch, other: other) { n in
            _ = loss(train, offsets: Array(repeating: 0, count: n), gradient: true)
        }
    }

    /// A training loop's state at logged step `step`: the parameters, the optimizer (when it is
    /// one; a vote adds its own) and the stream its batches are drawn from. The running mean of
    /// the loss restarts at a logged step, so it is not part of it.
    public func checkpoint(step: Int, optimizer: (any Optimizer)?, batches: RNG) throws -> Checkpoint {
        var state = Checkpoint()
        state.numbers["step"] = Double(step)
        state.set("parameters", store.values)
        if let optimizer { try state.set("optimizer", optimizer: optimizer) }
        try state.set("batches", encoding: batches)
        return state
    }

    /// Puts back the parameters and the batch stream `checkpoint` saved (the caller restores its
    /// optimizer, `Checkpoint.restore(_:_:)` under "optimizer"); returns the step to continue after.
    public func resume(_ state: Checkpoint, batches: inout RNG) throws -> Int {
        try state.read("parameters", into: &store.values)
        batches = try state.decode(RNG.self, "batches")
        return Int(try state.number("step"))
    }
}
