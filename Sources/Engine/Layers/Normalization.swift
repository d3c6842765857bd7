/// LayerNorm over the last axis with learned gain (init 1) and bias (init 0).
public struct LayerNorm {
    public let gain: ParamRef, bias: ParamRef
    public let eps: Float

    public init(_ name: String, _ size: Int, eps: Float = 1e-5, builder: inout ParameterBuilder) {
        gain = builder.add("\(name).gain", shape: [size], .ones)
        bias = builder.add("\(name).bias", shape: [size], .zeros)
        self.eps = eps
    }

    public func callAsFunction(_ x: Var) -> Var {
        layerNorm(x, gain: x.tape.param(gain), bias: x.tape.param(bias), eps: eps)
    }
}

/// RMSNorm over the last axis with learned gain (init 1), as in LLaMA and Mamba.
public struct RMSNorm {
    public let gain: ParamRef
    public let eps: Float

    public init(_ name: String, _ size: Int, eps: Float = 1e-5, builder: inout ParameterBuilder) {
        gain = builder.add("\(name).gain", shape: [size], .ones)
        self.eps = eps
    }

    public func callAsFunction(_ x: Var) -> Var { rmsNorm(x, gain: x.tape.param(gain), eps: eps) }
}

/// Which normalisation a block uses.
public enum NormKind: String, Sendable {
    case layerNorm, rmsNorm
}

/// A LayerNorm or an RMSNorm, chosen by `NormKind` (so blocks can hold either).
public enum Normalization {
    case layer(LayerNorm)
    case rms(RMSNorm)

    public init(_ kind: NormKind, _ name: String, _ size: Int, builder: inout ParameterBuilder) {
        switch kind {
        case .layerNorm: self = .layer(LayerNorm(name, size, builder: &builder))
        case .rmsNorm: self = .rms(RMSNorm(name, size, builder: &builder))
        }
    }

    public func callAsFunction(_ x: Var) -> Var {
        switch self {
        case .layer(let norm): return norm(x)
        case .rms(let norm): return norm(x)
        }
    }
}
