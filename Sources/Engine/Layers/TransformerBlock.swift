/// A pre-norm transformer decoder block: x + Attn(Norm(x)), then x + MLP(Norm(x)).
public struct TransformerBlock {
    /// GPT-2: LayerNorm and a GELU MLP with biases. LLaMA: RMSNorm and a SwiGLU MLP, no biases.
    public enum Style: String, Codable, Sendable, CaseIterable, NamedChoice {
        case gpt, llama
    }

    public struct Config: Sendable {
        public var width: Int
        public var heads: Int
        public var hidden: Int
        public var dropout: Float
        public var style: Style
        /// The GPT-style MLP's activation: GPT-2's tanh GELU by default; BERT-style models use the exact form.
        public var activation: Nonlinearity

        /// `hidden` defaults to 4·width (GPT-2); LLaMA-style configurations usually pass ≈ 8/3·width.
        public init(width: Int, heads: Int, hidden: Int? = nil, dropout: Float = 0, style: Style = .gpt,
                    activation: Nonlinearity = .gelu) {
            self.width = width
            self.heads = heads
            self.hidden = hidden ?? 4 * width
            self.dropout = dropout
            self.style = style
            self.activation = activation
        }
    }

    enum Mixer {
        case mlp(FeedForward)
        case gated(GatedFeedForward)
    }

    public let attentionNorm: Normalization, mlpNorm: Normalization
    public let attention: CausalSelfAttention
    let mixer: Mixer
    public let mlpDropout: Dropout

    public init(_ name: String, _ config: Config, builder: inout ParameterBuilder) {
        let gpt = config.style == .gpt
        attentionNorm = Normalization(gpt ? .layerNorm : .rmsNorm, "\(name).attention_norm", config.width, builder: &builder)
        attention = CausalSelfAttention("\(name).attention", config.width, heads: config.heads,
                                        dropout: config.dropout, bias: gpt, builder: &builder)
        mlpNorm = Normalization(gpt ? .layerNorm : .rmsNorm, "\(name).mlp_norm", config.width, builder: &builder)
        mixer = gpt ? .mlp(FeedForward("\(name).mlp", config.width, hidden: config.hidden, activation: config.activation,
                                       builder: &builder))
                    : .gated(GatedFeedForward("\(name).mlp", config.width, hidden: config.hidden, builder: &builder))
        mlpDropout = Dropout("\(name).mlp.dropout", rate: config.dropout)
    }

    public func callAsFunction(_ x: Var, mode: ForwardMode, keyPadding: [Bool]? = nil) -> Var {
        let h = x + attention(attentionNorm(x), mode: mode, keyPadding: keyPadding)
        let normed = mlpNorm(h)
        let m: Var
        switch mixer {
        case .mlp(let f): m = f(normed)
        case .gated(let f): m = f(normed)
        }
        return h + mlpDropout(m, mode: mode)
    }
}
