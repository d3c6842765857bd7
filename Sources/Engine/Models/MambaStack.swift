/// A sequence model of stacked Mamba blocks (as in Mamba's language model and Mamba4Rec):
/// embedding, `layers` pre-norm residual blocks h + Mamba(Norm(h)), a final norm, and output
/// scores against the (tied) embedding table.
public struct MambaStack {
    public struct Config: Sendable {
        public var vocabulary: Int
        public var layers: Int
        public var block: MambaBlock.Config
        public var norm: NormKind
        /// An id that embeds to zero and gets no gradient (0 for left-padded item sequences).
        public var paddingIndex: Int?

        public init(vocabulary: Int, layers: Int, block: MambaBlock.Config, norm: NormKind = .rmsNorm, paddingIndex: Int? = nil) {
            self.vocabulary = vocabulary
            self.layers = layers
            self.block = block
            self.norm = norm
            self.paddingIndex = paddingIndex
        }
    }

    public let config: Config
    public let embedding: Embedding
    public let norms: [Normalization]
    public let blocks: [MambaBlock]
    public let finalNorm: Normalization

    public init(_ config: Config, builder: inout ParameterBuilder) {
        self.config = config
        let d = config.block.width
        embedding = Embedding("mamba.embedding", count: config.vocabulary, dimension: d,
                              paddingIndex: config.paddingIndex, builder: &builder)
        var norms: [Normalization] = [], blocks: [MambaBlock] = []
        for i in 0..<config.layers {
            norms.append(Normalization(config.norm, "mamba.layer\(i).norm", d, builder: &builder))
            blocks.append(MambaBlock("mamba.layer\(i).mixer", config.block, builder: &builder))
        }
        self.norms = norms
        self.blocks = blocks
        finalNorm = Normalization(config.norm, "mamba.final_norm", d, builder: &builder)
    }

    /// Ids (row-major `[batch, T]`) -> hidden states `[batch, T, d]`.
    public func callAsFunction(_ ids: [Int], batch: Int, on tape: Tape) -> Var {
        precondition(batch > 0 && ids.count % batch == 0, "MambaStack: \(ids.count) ids do not split into \(batch) rows")
        var h = embedding(ids, shape: [batch, ids.count / batch], on: tape)
        for (norm, block) in zip(norms, blocks) { h = h + block(norm(h)) }
        return finalNorm(h)
    }

    /// Scores of every id at every step: hidden · Eᵀ, `[batch, T, vocabulary]`.
    public func scores(_ hidden: Var) -> Var {
        matmul(hidden, hidden.tape.param(embedding.table), transposeB: true)
    }
}
