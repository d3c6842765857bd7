/// Multi-head causal self-attention: one fused q|k|v projection, `heads` heads of size d/heads
/// attending causally (`causalAttention`), and an output projection.
public struct CausalSelfAttention {
    public let qkv: Linear, out: Linear
    public let heads: Int, size: Int
    public let dropout: Dropout

    public init(_ name: String, _ size: Int, heads: Int, dropout rate: Float = 0, bias: Bool = true,
                builder: inout ParameterBuilder) {
        precondition(size % heads == 0, "CausalSelfAttention \(name): width \(size) is not divisible by \(heads) heads")
        self.size = size
        self.heads = heads
        qkv = Linear("\(name).qkv", size, 3 * size, bias: bias, builder: &builder)
        out = Linear("\(name).out", size, size, bias: bias, builder: &builder)
        dropout = Dropout("\(name).dropout", rate: rate)
    }

    /// x `[B, T, d]` -> `[B, T, d]`. `keyPadding` (`[B·T]`, true = padding) hides padded keys.
    public func callAsFunction(_ x: Var, mode: ForwardMode, keyPadding: [Bool]? = nil) -> Var {
        precondition(x.shape.count == 3 && x.shape[2] == size, "CausalSelfAttention(\(size)) applied to \(x.shape)")
        let o = causalAttention(qkv(x), heads: heads, keyPadding: keyPadding)
        return dropout(out(o), mode: mode)
    }
}
