/// Mamba4Rec (Liu et al. 2024, arXiv:2403.03900, §3 and the official `mamba4rec.py`): a sequential
/// recommender of Mamba layers over item embeddings, no positional embedding.
///
///   h = LayerNorm(Dropout(E[items]))                              (LayerNorm ε = 1e-12 throughout)
///   per layer:  m = Mamba(h)                                      (d_model, d_state, d_conv, expand)
///               h = LayerNorm(Dropout(m))        with one layer   (no residual, as the official code)
///               h = LayerNorm(Dropout(m) + h)    with more layers
///               h = LayerNorm(Dropout(W₂ Dropout(GELU(W₁ h))) + h)  (feed-forward, 4·d, GELU x·Φ(x) as nn.GELU())
///   score(item) = h_t · E[item]                                   (tied embeddings)
///
/// Initialisation as the official `_init_weights`: every Linear and the embedding N(0, 0.02),
/// biases 0 (including Mamba's Δ bias), LayerNorm 1 and 0.
public struct Mamba4Rec: SequentialRecommender {
    public struct Config: Sendable, Codable, Equatable {
        public var items: Int
        public var layers: Int
        public var width: Int
        public var stateSize: Int
        public var convWidth: Int
        public var expand: Int
        public var dropout: Float

        /// Defaults are the official `config.yaml`: hidden 64, 1 layer, d_state 32, d_conv 4, expand 2, dropout 0.2.
        public init(items: Int, layers: Int = 1, width: Int = 64, stateSize: Int = 32, convWidth: Int = 4, expand: Int = 2,
                    dropout: Float = 0.2) {
            self.items = items
            self.layers = layers
            self.width = width
            self.stateSize = stateSize
            self.convWidth = convWidth
            self.expand = expand
            self.dropout = dropout
        }
    }

    /// One Mamba layer and its feed-forward block.
    public struct Layer {
        public let mamba: MambaBlock
        public let mambaDropout: Dropout
        public let mambaNorm: LayerNorm
        public let up: Linear, down: Linear
        public let innerDropout: Dropout, outerDropout: Dropout
        public let feedForwardNorm: LayerNorm
    }

    public let config: Config
    public let itemEmbedding: Embedding
    public let embeddingDropout: Dropout
    public let embeddingNorm: LayerNorm
    public let layers: [Layer]

    public var items: Int { config.items }
    public var itemTable: ParamRef { itemEmbedding.table }

    static let eps: Float = 1e-12

    public init(_ config: Config, builder: inout ParameterBuilder) {
        self.config = config
        let d = config.width, init002 = Initializer.normal(std: 0.02)
        itemEmbedding = Embedding("mamba4rec.items", count: config.items + 1, dimension: d, paddingIndex: 0, std: 0.02, builder: &builder)
        embeddingDropout = Dropout("mamba4rec.embedding.dropout", rate: config.dropout)
        embeddingNorm = LayerNorm("mamba4rec.embedding.norm", d, eps: Self.eps, builder: &builder)
        let block = MambaBlock.Config(width: d, stateSize: config.stateSize, convWidth: config.convWidth, expand: config.expand)
        layers = (0..<config.layers).map { i in
            let name = "mamba4rec.layer\(i)"
            return Layer(
                mamba: MambaBlock("\(name).mamba", block, linearInit: init002, builder: &builder),
                mambaDropout: Dropout("\(name).mamba.dropout", rate: config.dropout),
                mambaNorm: LayerNorm("\(name).mamba.norm", d, eps: Self.eps, builder: &builder),
                up: Linear("\(name).ffn.up", d, 4 * d, weightInit: init002, biasInit: .zeros, builder: &builder),
                down: Linear("\(name).ffn.down", 4 * d, d, weightInit: init002, biasInit: .zeros, builder: &builder),
                innerDropout: Dropout("\(name).ffn.inner_dropout", rate: config.dropout),
                outerDropout: Dropout("\(name).ffn.dropout", rate: config.dropout),
                feedForwardNorm: LayerNorm("\(name).ffn.norm", d, eps: Self.eps, builder: &builder))
        }
    }

    public func callAsFunction(_ ids: [Int], batch: Int, mode: ForwardMode, on tape: Tape) -> Var {
        encode(ids, batch: batch, at: nil, mode: mode, on: tape)
    }

    /// Every step up to `positions` runs through the layers before the last; the last layer's Mamba
    /// output, norms and feed-forward are formed at `positions` only (each step's output depends on
    /// that step's state alone), which is most of the inference cost at the default length.
    public func hidden(_ ids: [Int], batch: Int, at positions: [Int], mode: ForwardMode, on tape: Tape) -> Var {
        encode(ids, batch: batch, at: positions, mode: mode, on: tape)
    }

    func encode(_ ids: [Int], batch: Int, at positions: [Int]?, mode: ForwardMode, on tape: Tape) -> Var {
        precondition(batch > 0 && ids.count % batch == 0, "Mamba4Rec: \(ids.count) ids do not split into \(batch) rows")
        let length = ids.count / batch
        var h = embeddingNorm(embeddingDropout(itemEmbedding(ids, shape: [batch, length], on: tape), mode: mode))
        for (i, layer) in layers.enumerated() {
            let wanted = i == layers.count - 1 ? positions : nil
            let m = layer.mambaDropout(layer.mamba(h, at: wanted), mode: mode)
            if layers.count == 1 {
                h = layer.mambaNorm(m)
            } else if let wanted {
                let rows = wanted.enumerated().map { $0 * length + $1 }
                h = layer.mambaNorm(m + gatherRows(h.reshaped([batch * length, config.width]), ids: rows, shape: [batch]))
            } else {
                h = layer.mambaNorm(m + h)
            }
            let f = layer.outerDropout(layer.down(layer.innerDropout(layer.up(h, then: .exactGELU), mode: mode)), mode: mode)
            h = layer.feedForwardNorm(f + h)
        }
        return h
    }
}
