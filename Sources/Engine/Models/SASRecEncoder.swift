/// SASRec (Kang & McAuley 2018): a causal transformer over a user's item sequence whose output
/// at step t scores every item as the next one by a dot product with the item embeddings (§III).
///
/// Padding (item 0, on either side) embeds to zero, is hidden from attention as keys, and is
/// zeroed again after every block (the paper's timeline mask). Scores come from
/// `SequentialRecommender.scores`: hidden · Eᵀ over every item id, padding included. The item
/// embedding is scaled by √d before the positional one is added, as in the authors' code.
/// Blocks are this engine's pre-norm `TransformerBlock` with a GELU MLP where the paper uses ReLU;
/// callers pass the exact GELU, which RecBole's SASRec (Mamba4Rec's baseline) uses.
public struct SASRecEncoder {
    public struct Config: Sendable {
        /// Real items are 1...items; 0 is padding.
        public var items: Int
        public var maxLength: Int
        public var layers: Int
        public var block: TransformerBlock.Config

        public init(items: Int, maxLength: Int, layers: Int, block: TransformerBlock.Config) {
            self.items = items
            self.maxLength = maxLength
            self.layers = layers
            self.block = block
        }
    }

    public let config: Config
    public let itemEmbedding: Embedding, positions: Embedding
    public let blocks: [TransformerBlock]
    public let finalNorm: LayerNorm
    public let embeddingDropout: Dropout

    public init(_ config: Config, builder: inout ParameterBuilder) {
        self.config = config
        let d = config.block.width
        itemEmbedding = Embedding("sasrec.items", count: config.items + 1, dimension: d, paddingIndex: 0, builder: &builder)
        positions = Embedding("sasrec.positions", count: config.maxLength, dimension: d, builder: &builder)
        blocks = (0..<config.layers).map { TransformerBlock("sasrec.block\($0)", config.block, builder: &builder) }
        finalNorm = LayerNorm("sasrec.final_norm", d, builder: &builder)
        embeddingDropout = Dropout("sasrec.embedding.dropout", rate: config.block.dropout)
    }

    /// Item ids (row-major `[batch, T]`, 0 = padding) -> hidden states `[batch, T, d]`.
    public func callAsFunction(_ ids: [Int], batch: Int, mode: ForwardMode, on tape: Tape) -> Var {
        precondition(batch > 0 && ids.count % batch == 0, "SASRecEncoder: \(ids.count) ids do not split into \(batch) rows")
        let t = ids.count / batch, d = config.block.width
        precondition(t <= config.maxLength, "SASRecEncoder: sequence length \(t) exceeds maxLength \(config.maxLength)")
        let padding = ids.map { $0 == 0 }
        var keep = Tensor(zeros: [batch, t, d])
        keep.withUnsafeMutableBufferPointer { k in
            for (i, pad) in padding.enumerated() where !pad { (k.baseAddress! + i * d).update(repeating: 1, count: d) }
        }
        let timeline = tape.input(keep)
        var h = itemEmbedding(ids, shape: [batch, t], on: tape) * Float(d).squareRoot()
            + positions(Array(0..<t), shape: [t], on: tape)
        h = embeddingDropout(h, mode: mode) * timeline
        for block in blocks { h = block(h, mode: mode, keyPadding: padding) * timeline }
        return finalNorm(h)
    }

}
