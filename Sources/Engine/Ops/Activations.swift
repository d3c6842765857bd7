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

    public func relu() -> Var { unary({ max($0, 0) }, derivative: { x, _ in x > 0 ? 1 : 0 }) }

    public func tanh() -> Var { unary({ Foundation.tanh($0) }, derivative: { _, y in 1 - y * y }) }

    public func sigmoid() -> Var { unary(Activation.sigmoid, derivative: { _, y in y * (1 - y) }) }

    /// SiLU (swish): x·σ(x).
    public func silu() -> Var {
        unary({ $0 * Activation.sigmoid($0) }, derivative: { x, _ in
            let s = Activation.sigmoid(x)
            return s * (1 + x * (1 - s))
        })
    }

    /// softplus(x) = log(1 + eˣ), computed without overflow for large x.
    public func softplus() -> Var {
        unary(Activation.softplus, derivative: { x, _ in Activation.sigmoid(x) })
    }

    /// GELU with the tanh approximation (as in GPT-2 and PyTorch's `approximate="tanh"`).
    public func gelu() -> Var {
        unary(Activation.gelu, derivative: Activation.geluDerivative)
    }

    public func exp() -> Var { unary({ Foundation.exp($0) }, derivative: { _, y in y }) }

    public func log() -> Var { unary({ Foundation.log($0) }, derivative: { x, _ in 1 / x }) }

    public func square() -> Var { unary({ $0 * $0 }, derivative: { x, _ in 2 * x }) }
}

/// Scalar activation functions shared by the tape ops and fused kernels.
public enum Activation {
    @inline(__always) public static func sigmoid(_ x: Float) -> Float {
        x >= 0 ? 1 / (1 + Foundation.exp(-x)) : { let e = Foundation.exp(x); return e / (1 + e) }()
    }

    @inline(__always) public static func softplus(_ x: Float) -> Float {
        x > 20 ? x : Foundation.log1p(Foundation.exp(x))
    }

    static let geluC: Float = (2 / Float.pi).squareRoot()

    @inline(__always) public static func gelu(_ x: Float) -> Float {
        0.5 * x * (1 + Foundation.tanh(geluC * (x + 0.044715 * x * x * x)))
    }

    @inline(__always) public static func geluDerivative(_ x: Float, _: Float) -> Float {
        let u = geluC * (x + 0.044715 * x * x * x)
        let t = Foundation.tanh(u)
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * geluC * (1 + 3 * 0.044715 * x * x)
    }
}
