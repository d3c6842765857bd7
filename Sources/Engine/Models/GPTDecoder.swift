/// A decoder-only language model: token + learned positional embeddings, `layers` causal
/// transformer blocks (GPT-2 or LLaMA style), a final norm and a language-model head.
public struct GPTDecoder {
    public struct Config: Sendable {
        public var vocabulary: Int
        public var context: Int
        public var layers: Int
        public var block: TransformerBlock.Config
        /// The head reuses the token table (GPT-2) instead of its own `[d, V]` matrix.
        public var tiedHead: Bool

        public init(vocabulary: Int, context: Int, layers: Int, block: TransformerBlock.Config, tiedHead: Bool = true) {
            self.vocabulary = vocabulary
            self.context = context
            self.layers = layers
            self.block = block
            self.tiedHead = tiedHead
        }
    }

    public let config: Config
    public let tokens: Embedding, positions: Embedding
    public let blocks: [TransformerBlock]
    public let finalNorm: Normalization
    public let head: Linear?
    public let embeddingDropout: Dropout

    public init(_ config: Config, builder: inout ParameterBuilder) {
        self.config = config
        let d = config.block.width
        tokens = Embedding("gpt.tokens", count: config.vocabulary, dimension: d, builder: &builder)
        positions = Embedding("gpt.positions", count: config.context, dimension: d, builder: &builder)
        blocks = (0..<config.layers).map { TransformerBlock("gpt.block\($0)", config.block, builder: &builder) }
        finalNorm = Normalization(config.block.style == .gpt ? .layerNorm : .rmsNorm, "gpt.final_norm", d, builder: &builder)
        head = config.tiedHead ? nil : Linear("gpt.head", d, config.vocabulary, bias: false, builder: &builder)
        embeddingDropout = Dropout("gpt.embedding.dropout", rate: config.block.dropout)
    }

    /// Token ids (row-major `[batch, T]`) -> logits `[batch, T, vocabulary]`. `afterBlock(i, h)` sees
    /// the residual stream after block i and returns what block i + 1 reads: where a model-parallel
    /// split places its stage boundaries.
    public func callAsFunction(_ ids: [Int], batch: Int, mode: ForwardMode, on tape: Tape,
                               afterBlock: (_ block: Int, _ h: Var) -> Var = { $1 }) -> Var {
        precondition(batch > 0 && ids.count % batch == 0, "GPTDecoder: \(ids.count) ids do not split into \(batch) rows")
        let t = ids.count / batch
        precondition(t <= config.context, "GPTDecoder: sequence length \(t) exceeds the context \(config.context)")
        var h = tokens(ids, shape: [batch, t], on: tape) + positions(Array(0..<t), shape: [t], on: tape)
        h = embeddingDropout(h, mode: mode)
        for (i, block) in blocks.enumerated() { h = afterBlock(i, block(h, mode: mode)) }
        h = finalNorm(h)
        return head.map { $0(h) } ?? matmul(h, tape.param(tokens.table), transposeB: true)
    }
}
