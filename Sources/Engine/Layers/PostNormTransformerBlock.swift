/// A post-norm (BERT-style) transformer block, as RecBole's `TransformerLayer`, which its SASRec
/// (Mamba4Rec's baseline) stacks:
///
///     h = LayerNorm(x + Dropout(Attn(x)))              attention probabilities dropped at `attentionDropout`
///     y = LayerNorm(h + Dropout(W₂ act(W₁ h + b₁) + b₂))
///
/// Against the pre-norm `TransformerBlock` (SASRec's paper, GPT-2) the LayerNorms sit after each
/// residual sum, so nothing reaches the next block unnormalised and no final LayerNorm is needed.
public struct PostNormTransformerBlock {
    public struct Config: Sendable {
        public var width: Int
        public var heads: Int
        public var hidden: Int
        /// Dropout after the attention's output projection and after the MLP (RecBole's `hidden_dropout_prob`).
        public var dropout: Float
        /// Dropout of the attention probabilities (RecBole's `attn_dropout_prob`).
        public var attentionDropout: Float
        public var activation: Nonlinearity
        public var eps: Float
        /// Weights of every Linear (biases are zero); RecBole draws them N(0, `initializer_range` = 0.02).
        public var linearStd: Float

        /// Defaults are RecBole 1.2.1's SASRec: inner 256 at width 64, dropouts 0.5 and 0.5, exact GELU, ε 1e-12.
        public init(width: Int, heads: Int, hidden: Int? = nil, dropout: Float = 0.5, attentionDropout: Float = 0.5,
                    activation: Nonlinearity = .exactGELU, eps: Float = 1e-12, linearStd: Float = 0.02) {
            self.width = width
            self.heads = heads
            self.hidden = hidden ?? 4 * width
            self.dropout = dropout
            self.attentionDropout = attentionDropout
            self.activation = activation
            self.eps = eps
            self.linearStd = linearStd
        }
    }

    public let attention: CausalSelfAttention
    public let attentionNorm: LayerNorm
    public let mlp: FeedForward
    public let mlpDropout: Dropout
    public let mlpNorm: LayerNorm

    public init(_ name: String, _ config: Config, builder: inout ParameterBuilder) {
        let linearInit = Initializer.normal(std: config.linearStd)
        attention = CausalSelfAttention("\(name).attention", config.width, heads: config.heads, dropout: config.dropout,
                                        attentionDropout: config.attentionDropout, linearInit: linearInit, builder: &builder)
        attentionNorm = LayerNorm("\(name).attention_norm", config.width, eps: config.eps, builder: &builder)
        mlp = FeedForward("\(name).mlp", config.width, hidden: config.hidden, activation: config.activation,
                          linearInit: linearInit, builder: &builder)
        mlpDropout = Dropout("\(name).mlp.dropout", rate: config.dropout)
        mlpNorm = LayerNorm("\(name).mlp_norm", config.width, eps: config.eps, builder: &builder)
    }

    public func callAsFunction(_ x: Var, mode: ForwardMode, keyPadding: [Bool]? = nil) -> Var {
        let h = attentionNorm(x + attention(x, mode: mode, keyPadding: keyPadding))
        return mlpNorm(h + mlpDropout(mlp(h), mode: mode))
    }
}
