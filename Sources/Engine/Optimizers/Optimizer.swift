/// One update rule x_{t+1} = U(x_t, g_t, state) over a model's flat parameter vector.
///
/// `step` reads `parameters.grads` (the stochastic gradient g_t at x_t) and writes
/// `parameters.values` in place. State (moments, accumulators) is kept as flat tensors allocated on
/// the first step, so a step allocates nothing.
public protocol Optimizer {
    /// γ, the base step size; schedules change it between steps.
    var learningRate: Float { get set }
    mutating func step(_ parameters: ParameterStore)
}

extension ParameterStore {
    /// x and g as raw buffers for one optimizer pass (both of length `count`).
    @inlinable
    public func withValuesAndGrads<R>(
        _ body: (_ x: UnsafeMutableBufferPointer<Float>, _ g: UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        try values.withUnsafeMutableBufferPointer { x in try grads.withUnsafeMutableBufferPointer { g in try body(x, g) } }
    }
}

/// Lazily sized optimizer state: a flat vector the size of the parameters, zero at t = 0.
@usableFromInline
struct StateVector {
    @usableFromInline var tensor = Tensor(zeros: [0])

    @usableFromInline init() {}

    @inlinable
    mutating func withBuffer<R>(count: Int, _ body: (UnsafeMutableBufferPointer<Float>) -> R) -> R {
        if tensor.count != count { tensor = Tensor(zeros: [count]) }
        return tensor.withUnsafeMutableBufferPointer(body)
    }
}
