/// SASRec (Kang & McAuley 2018): a causal transformer over a user's item sequence whose output
/// at step t scores every item as the next one by a dot product with the item embeddings (§III).
///
/// Padding (item 0, on either side) embeds to zero, is hidden from attention as keys, and is
/// zeroed again after every block (the paper's timeline mask). Scores come from
/// `SequentialRecommender.scores`: hidden · Eᵀ over every item id, padding included. The item
/// embedding is scaled by √d before the positional one is added, as in the authors' code.
/// Blocks are either this engine's pre-norm `TransformerBlock` (the paper's formula, with a GELU
/// MLP where the paper uses ReLU; callers pass the exact GELU) or RecBole's post-norm layers
/// (`PostNormTransformerBlock`), which Mamba4Rec's paper ran its SASRec with. Post-norm follows
/// RecBole's `SASRec.forward`: LayerNorm(E[items] + P) without the √d scale, dropout, the blocks, and
/// no final LayerNorm.
public struct SASRecEncoder {
    public enum Blocks: Sendable {
        case preNorm(TransformerBlock.Config)
        case postNorm(PostNormTransformerBlock.Config)

        public var width: Int {
            switch self {
            case .preNorm(let c): return c.width
            case .postNorm(let c): return c.width
            }
        }

        var dropout: Float {
            switch self {
            case .preNorm(let c): return c.dropout
            case .postNorm(let c): return c.dropout
            }
        }
    }

    public struct Config: Sendable {
        /// Real items are 1...items; 0 is padding.
        public var items: Int
        public var maxLength: Int
        public var layers: Int
        public var blocks: Blocks

        public init(items: Int, maxLength: Int, layers: Int, blocks: Blocks) {
            self.items = items
            self.maxLength = maxLength
            self.layers = layers
            self.blocks = blocks
        }

        public init(items: Int, maxLength: Int, layers: Int, block: TransformerBlock.Config) {
            self.init(items: items, maxLength: maxLength, layers: layers, blocks: .preNorm(block))
        }
    }

    enum Stack {
        case preNorm([TransformerBlock])
        case postNorm([PostNormTransformerBlock])
    }

    public let config: Config
    public let itemEmbedding: Embedding, positions: Embedding
    let stack: Stack
    /// The final LayerNorm of the pre-norm stack, or the post-norm stack's LayerNorm of the embedding sum.
    public let norm: LayerNorm
    public let embeddingDropout: Dropout

    public init(_ config: Config, builder: inout ParameterBuilder) {
        self.config = config
        let d = config.blocks.width
        itemEmbedding = Embedding("sasrec.items", count: config.items + 1, dimension: d, paddingIndex: 0, builder: &builder)
        positions = Embedding("sasrec.positions", count: config.maxLength, dimension: d, builder: &builder)
        switch config.blocks {
        case .preNorm(let block):
            stack = .preNorm((0..<config.layers).map { TransformerBlock("sasrec.block\($0)", block, builder: &builder) })
            norm = LayerNorm("sasrec.final_norm", d, builder: &builder)
        case .postNorm(let block):
            stack = .postNorm((0..<config.layers).map { PostNormTransformerBlock("sasrec.block\($0)", block, builder: &builder) })
            norm = LayerNorm("sasrec.embedding_norm", d, eps: block.eps, builder: &builder)
        }
        embeddingDropout = Dropout("sasrec.embedding.dropout", rate: config.blocks.dropout)
    }

    /// Item ids (row-major `[batch, T]`, 0 = padding) -> hidden states `[batch, T, d]`.
    public func callAsFunction(_ ids: [Int], batch: Int, mode: ForwardMode, on tape: Tape) -> Var {
        precondition(batch > 0 && ids.count % batch == 0, "SASRecEncoder: \(ids.count) ids do not split into \(batch) rows")
        let t = ids.count / batch, d = config.blocks.width
        precondition(t <= config.maxLength, "SASRecEncoder: sequence length \(t) exceeds maxLength \(config.maxLength)")
        let padding = ids.map { $0 == 0 }
        var keep = Tensor(zeros: [batch, t, d])
        keep.withUnsafeMutableBufferPointer { k in
            for (i, pad) in padding.enumerated() where !pad { (k.baseAddress! + i * d).update(repeating: 1, count: d) }
        }
        let timeline = tape.input(keep)
        let items = itemEmbedding(ids, shape: [batch, t], on: tape), steps = positions(Array(0..<t), shape: [t], on: tape)
        switch stack {
        case .preNorm(let blocks):
            var h = embeddingDropout(items * Float(d).squareRoot() + steps, mode: mode) * timeline
            for block in blocks { h = block(h, mode: mode, keyPadding: padding) * timeline }
            return norm(h)
        case .postNorm(let blocks):
            var h = embeddingDropout(norm(items + steps), mode: mode) * timeline
            for block in blocks { h = block(h, mode: mode, keyPadding: padding) * timeline }
            return h
        }
    }

}
