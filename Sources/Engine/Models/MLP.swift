/// A fully connected network: Linear layers of the given sizes with an activation between them
/// (none after the last, which gives logits or a regression output).
public struct MLP {
    public struct Config: Sendable {
        public var sizes: [Int]
        public var activation: Nonlinearity
        public init(sizes: [Int], activation: Nonlinearity = .relu) {
            precondition(sizes.count >= 2, "MLP needs at least an input and an output size, got \(sizes)")
            self.sizes = sizes
            self.activation = activation
        }
    }

    public let config: Config
    public let layers: [Linear]

    public init(_ config: Config, builder: inout ParameterBuilder) {
        self.config = config
        layers = (0..<(config.sizes.count - 1)).map {
            Linear("mlp.\($0)", config.sizes[$0], config.sizes[$0 + 1], builder: &builder)
        }
    }

    /// x `[N, sizes.first]` -> `[N, sizes.last]`.
    public func callAsFunction(_ x: Var) -> Var {
        var h = x
        for layer in layers.dropLast() { h = layer(h, then: config.activation) }
        return layers.last!(h)
    }
}
