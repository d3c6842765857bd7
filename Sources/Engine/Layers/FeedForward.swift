/// The transformer's position-wise MLP: Linear(d→hidden), activation (GELU in GPT-2), Linear(hidden→d).
public struct FeedForward {
    public let up: Linear, down: Linear
    public let activation: Nonlinearity

    /// `linearInit` draws both weights, with zero biases; without it they take `Linear`'s default.
    public init(_ name: String, _ size: Int, hidden: Int, activation: Nonlinearity = .gelu, bias: Bool = true,
                linearInit: Initializer? = nil, builder: inout ParameterBuilder) {
        let biasInit: Initializer? = linearInit == nil ? nil : .zeros
        up = Linear("\(name).up", size, hidden, bias: bias, weightInit: linearInit, biasInit: biasInit, builder: &builder)
        down = Linear("\(name).down", hidden, size, bias: bias, weightInit: linearInit, biasInit: biasInit, builder: &builder)
        self.activation = activation
    }

    public func callAsFunction(_ x: Var) -> Var { down(up(x, then: activation)) }
}

/// The gated MLP of LLaMA (SwiGLU, Shazeer 2020): down(SiLU(gate(x)) ⊙ up(x)), without biases.
public struct GatedFeedForward {
    public let gate: Linear, up: Linear, down: Linear

    public init(_ name: String, _ size: Int, hidden: Int, builder: inout ParameterBuilder) {
        gate = Linear("\(name).gate", size, hidden, bias: false, builder: &builder)
        up = Linear("\(name).up", size, hidden, bias: false, builder: &builder)
        down = Linear("\(name).down", hidden, size, bias: false, builder: &builder)
    }

    public func callAsFunction(_ x: Var) -> Var { down(gate(x, then: .silu) * up(x)) }
}
