import Foundation

extension Var {
    /// An elementwise op y = f(x) whose derivative is expressed through x (and y).
    public func unary(_ f: (Float) -> Float, derivative: @escaping (_ x: Float, _ y: Float) -> Float) -> Var {
        let x = value
        let y = x.map(f)
        return tape.record(y, inputs: [self]) { tape, g in
            tape.accumulate(self) { dx in
                x.withUnsafeBufferPointer { xp in y.withUnsafeBufferPointer { yp in g.withUnsafeBufferPointer { gp in
                    for i in 0..<dx.count { dx[i] += gp[i] * derivative(xp[i], yp[i]) }
                }}}
            }
        }
    }

    /// Applies a pointwise function with its derivative. Generic over the function's type (not a
    /// closure) so that release builds specialise and vectorise both loops.
    public func pointwise<F: PointwiseFunction>(_: F.Type) -> Var {
        let x = value
        var y = Tensor(overwriting: x.shape)
        x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { yp in
            ParallelRows.forEach(xp.count, rowLength: 1) { block in for i in block { yp[i] = F.value(xp[i]) } }
        }}
        return tape.record(y, inputs: [self]) { tape, g in
            tape.accumulate(self) { dx in
                x.withUnsafeBufferPointer { xp in g.withUnsafeBufferPointer { gp in
                    ParallelRows.forEach(dx.count, rowLength: 1) { block in for i in block { dx[i] += gp[i] * F.derivative(xp[i]) } }
                }}
            }
        }
    }

    public func relu() -> Var { pointwise(ReLU.self) }

    /// tanh through libm: it is rare in the models here, and 2σ(2x) − 1 would lose relative accuracy near 0.
    public func tanh() -> Var { unary({ Foundation.tanh($0) }, derivative: { _, y in 1 - y * y }) }

    public func sigmoid() -> Var { pointwise(Sigmoid.self) }

    public func silu() -> Var { pointwise(SiLU.self) }

    public func softplus() -> Var { pointwise(Softplus.self) }

    public func gelu() -> Var { pointwise(GELU.self) }

    public func exactGELU() -> Var { pointwise(ExactGELU.self) }

    public func exp() -> Var { pointwise(Exp.self) }

    public func log() -> Var { unary({ Foundation.log($0) }, derivative: { x, _ in 1 / x }) }

    public func square() -> Var { unary({ $0 * $0 }, derivative: { x, _ in 2 * x }) }
}

/// A scalar function and its derivative, both in terms of the input x.
public protocol PointwiseFunction {
    static func value(_ x: Float) -> Float
    static func derivative(_ x: Float) -> Float
}

public enum ReLU: PointwiseFunction {
    @inline(__always) public static func value(_ x: Float) -> Float { x > 0 ? x : 0 }
    @inline(__always) public static func derivative(_ x: Float) -> Float { x > 0 ? 1 : 0 }
}

public enum Sigmoid: PointwiseFunction {
    @inline(__always) public static func value(_ x: Float) -> Float { FastMath.sigmoid(x) }
    @inline(__always) public static func derivative(_ x: Float) -> Float {
        let s = FastMath.sigmoid(x)
        return s * (1 - s)
    }
}

/// SiLU (swish) x·σ(x); derivative σ(x)(1 + x(1 − σ(x))).
public enum SiLU: PointwiseFunction {
    @inline(__always) public static func value(_ x: Float) -> Float { x * FastMath.sigmoid(x) }
    @inline(__always) public static func derivative(_ x: Float) -> Float {
        let s = FastMath.sigmoid(x)
        return s * (1 + x * (1 - s))
    }
}

/// GELU with the tanh approximation (GPT-2, PyTorch's `approximate="tanh"`), evaluated as
/// x·σ(2u) with u = √(2/π)(x + 0.044715x³), since ½(1 + tanh u) = σ(2u).
public enum GELU: PointwiseFunction {
    static let c2: Float = 2 * (2 / Float.pi).squareRoot()
    static let k: Float = 0.044715

    @inline(__always) public static func value(_ x: Float) -> Float {
        x * FastMath.sigmoid(c2 * (x + k * x * x * x))
    }

    @inline(__always) public static func derivative(_ x: Float) -> Float {
        let x2 = x * x
        let s = FastMath.sigmoid(c2 * (x + k * x2 * x))
        return s + x * s * (1 - s) * c2 * (1 + 3 * k * x2)
    }
}

/// GELU in its defining form x·Φ(x) (Hendrycks & Gimpel 2016; PyTorch's `nn.GELU()`, BERT's and RecBole's
/// `gelu`), with derivative Φ(x) + x·φ(x). Differs from the tanh form by up to ~5·10⁻⁴ per element.
public enum ExactGELU: PointwiseFunction {
    static let inverseSqrt2Pi: Float = 0.39894228040143268

    @inline(__always) public static func value(_ x: Float) -> Float { x * FastMath.normalCDF(x) }

    @inline(__always) public static func derivative(_ x: Float) -> Float {
        FastMath.normalCDF(x) + x * inverseSqrt2Pi * FastMath.exp(-0.5 * x * x)
    }
}

/// softplus(x) = log(1 + eˣ) = max(x, 0) + log(1 + e^{−|x|}): never overflows, and keeps relative
/// accuracy for negative x (where it is about eˣ) down to −87, below which it saturates with `FastMath.exp`. Written with `FastMath` so that Mamba's Δ over a
/// whole `[B, T, D]` tensor is vectorised; derivative σ(x).
public enum Softplus: PointwiseFunction {
    @inline(__always) public static func value(_ x: Float) -> Float {
        (x > 0 ? x : 0) + FastMath.log1p(unitInterval: FastMath.exp(-abs(x)))
    }

    @inline(__always) public static func derivative(_ x: Float) -> Float { FastMath.sigmoid(x) }
}

public enum Exp: PointwiseFunction {
    @inline(__always) public static func value(_ x: Float) -> Float { FastMath.exp(x) }
    @inline(__always) public static func derivative(_ x: Float) -> Float { FastMath.exp(x) }
}

/// Scalar activation functions for fused kernels that need them one element at a time.
public enum Activation {
    @inline(__always) public static func sigmoid(_ x: Float) -> Float {
        x >= 0 ? 1 / (1 + Foundation.exp(-x)) : { let e = Foundation.exp(x); return e / (1 + e) }()
    }

    @inline(__always) public static func softplus(_ x: Float) -> Float {
        x > 20 ? x : Foundation.log1p(Foundation.exp(x))
    }
}
