/// y = x W + b over the last axis of x `[..., in]`, with W stored `[in, out]` so the product needs
/// no transpose (the leading dimensions fold into one GEMM).
public struct Linear {
    public let weight: ParamRef
    public let bias: ParamRef?
    public let inputSize: Int, outputSize: Int

    /// Default initialisation is PyTorch's: U(±1/√in) for both W and b.
    public init(_ name: String, _ inputSize: Int, _ outputSize: Int, bias hasBias: Bool = true,
                weightInit: Initializer? = nil, biasInit: Initializer? = nil, builder: inout ParameterBuilder) {
        self.inputSize = inputSize
        self.outputSize = outputSize
        weight = builder.add("\(name).weight", shape: [inputSize, outputSize],
                             weightInit ?? .fanInUniform(fanIn: inputSize))
        bias = hasBias ? builder.add("\(name).bias", shape: [outputSize], biasInit ?? .fanInUniform(fanIn: inputSize)) : nil
    }

    public func callAsFunction(_ x: Var) -> Var {
        precondition(x.shape.last == inputSize, "Linear(\(inputSize)→\(outputSize)) applied to input \(x.shape)")
        return linear(x, weight: x.tape.param(weight), bias: bias.map { x.tape.param($0) })
    }

    /// activation(x W + b), fused into one op where the activation is a `PointwiseFunction`.
    public func callAsFunction(_ x: Var, then activation: Nonlinearity) -> Var {
        precondition(x.shape.last == inputSize, "Linear(\(inputSize)→\(outputSize)) applied to input \(x.shape)")
        let (w, b) = (x.tape.param(weight), bias.map { x.tape.param($0) })
        switch activation {
        case .relu: return linear(x, weight: w, bias: b, activation: ReLU.self)
        case .gelu: return linear(x, weight: w, bias: b, activation: GELU.self)
        case .exactGELU: return linear(x, weight: w, bias: b, activation: ExactGELU.self)
        case .silu: return linear(x, weight: w, bias: b, activation: SiLU.self)
        case .tanh: return activation(self(x))
        }
    }
}
