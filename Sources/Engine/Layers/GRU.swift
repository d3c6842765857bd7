/// One GRU layer over a sequence `[B, T, in]` → every hidden state `[B, T, H]` (h_{−1} = 0),
/// PyTorch's `nn.GRU(batch_first=True)` with one layer: the input projection of all steps is one
/// GEMM, the recurrence is `gruRecurrence`. Parameters are stored transposed relative to PyTorch
/// (`[in, 3H]`, `[H, 3H]`, gates r, z, n), as every `Linear` here.
public struct GRU {
    public let input: Linear
    public let recurrentWeight: ParamRef, recurrentBias: ParamRef?
    public let hiddenSize: Int

    /// `initializer` for both weight matrices (GRU4Rec in RecBole: Xavier uniform; PyTorch's
    /// default: U(±1/√H)); both biases, when `bias`, are PyTorch's U(±1/√H).
    public init(_ name: String, inputSize: Int, hiddenSize: Int, bias: Bool = true,
                initializer: (_ fanIn: Int, _ fanOut: Int) -> Initializer, builder: inout ParameterBuilder) {
        self.hiddenSize = hiddenSize
        input = Linear("\(name).input", inputSize, 3 * hiddenSize, bias: bias, weightInit: initializer(inputSize, 3 * hiddenSize),
                       biasInit: Self.biasInit(hiddenSize), builder: &builder)
        recurrentWeight = builder.add("\(name).recurrent.weight", shape: [hiddenSize, 3 * hiddenSize],
                                      initializer(hiddenSize, 3 * hiddenSize))
        recurrentBias = bias ? builder.add("\(name).recurrent.bias", shape: [3 * hiddenSize], Self.biasInit(hiddenSize)) : nil
    }

    static func biasInit(_ hiddenSize: Int) -> Initializer {
        let bound = 1 / Float(hiddenSize).squareRoot()
        return .uniform(low: -bound, high: bound)
    }

    public func callAsFunction(_ x: Var) -> Var {
        let tape = x.tape
        return gruRecurrence(input(x), weight: tape.param(recurrentWeight), bias: recurrentBias.map { tape.param($0) })
    }
}
