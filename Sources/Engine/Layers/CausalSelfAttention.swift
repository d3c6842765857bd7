/// Multi-head causal self-attention: one fused q|k|v projection, `heads` heads of size d/heads
/// attending causally (`causalAttention`), and an output projection. `dropout` acts on the output
/// projection; `attentionDropout` on the attention probabilities (BERT, RecBole's SASRec).
public struct CausalSelfAttention {
    public let qkv: Linear, out: Linear
    public let heads: Int, size: Int
    public let dropout: Dropout
    public let attentionDropout: Dropout

    /// `linearInit` (e.g. N(0, 0.02) as BERT) draws both projections' weights, with zero biases;
    /// without it they take `Linear`'s default.
    public init(_ name: String, _ size: Int, heads: Int, dropout rate: Float = 0, attentionDropout attentionRate: Float = 0,
                bias: Bool = true, linearInit: Initializer? = nil, builder: inout ParameterBuilder) {
        precondition(size % heads == 0, "CausalSelfAttention \(name): width \(size) is not divisible by \(heads) heads")
        self.size = size
        self.heads = heads
        let biasInit: Initializer? = linearInit == nil ? nil : .zeros
        qkv = Linear("\(name).qkv", size, 3 * size, bias: bias, weightInit: linearInit, biasInit: biasInit, builder: &builder)
        out = Linear("\(name).out", size, size, bias: bias, weightInit: linearInit, biasInit: biasInit, builder: &builder)
        dropout = Dropout("\(name).dropout", rate: rate)
        attentionDropout = Dropout("\(name).attention_dropout", rate: attentionRate)
    }

    /// x `[B, T, d]` -> `[B, T, d]`. `keyPadding` (`[B·T]`, true = padding) hides padded keys.
    public func callAsFunction(_ x: Var, mode: ForwardMode, keyPadding: [Bool]? = nil) -> Var {
        precondition(x.shape.count == 3 && x.shape[2] == size, "CausalSelfAttention(\(size)) applied to \(x.shape)")
        let dropProbabilities = mode.isTraining && attentionDropout.rate > 0
        let o = causalAttention(qkv(x), heads: heads, keyPadding: keyPadding,
                                dropout: dropProbabilities ? (attentionDropout.rate, mode.rng.stream(attentionDropout.site)) : nil)
        return dropout(out(o), mode: mode)
    }
}
