/// A pointwise activation, chosen by configuration.
public enum Nonlinearity: String, Sendable {
    case relu, gelu, silu, tanh

    public func callAsFunction(_ x: Var) -> Var {
        switch self {
        case .relu: return x.relu()
        case .gelu: return x.gelu()
        case .silu: return x.silu()
        case .tanh: return x.tanh()
        }
    }
}
