/// A pointwise activation, chosen by configuration. `gelu` is the tanh approximation (GPT-2);
/// `exactGELU` is x·Φ(x) (BERT, RecBole, PyTorch's default).
public enum Nonlinearity: String, Sendable {
    case relu, gelu, exactGELU = "exact-gelu", silu, tanh

    public func callAsFunction(_ x: Var) -> Var {
        switch self {
        case .relu: return x.relu()
        case .gelu: return x.gelu()
        case .exactGELU: return x.exactGELU()
        case .silu: return x.silu()
        case .tanh: return x.tanh()
        }
    }
}
