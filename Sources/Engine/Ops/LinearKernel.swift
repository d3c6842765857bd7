/// y = x·W + b over the last axis of x `[..., in]` with W `[in, out]` and b `[out]`: the GEMM's
/// fresh output gets the bias added in place, so a layer writes one tensor instead of the product
/// and then a second, broadcast sum (each element is the same p + b as that sum computes).
/// Backward: dx = dy·Wᵀ, dW = xᵀ·dy with the leading axes folded into rows, db = Σ_rows dy.
public func linear(_ x: Var, weight: Var, bias: Var?) -> Var {
    let n = linearShapes(x, weight, bias)
    var y = Tensor.matmul(x.value, weight.value)
    if let bias {
        bias.value.withUnsafeBufferPointer { bp in y.withUnsafeMutableBufferPointer { yp in
            ParallelRows.forEach(yp.count / n, rowLength: n) { rows in
                for r in rows { addBias(bp, to: yp.baseAddress! + r * n) }
            }
        }}
    }
    return x.tape.record(y, inputs: bias.map { [x, weight, $0] } ?? [x, weight]) { tape, g in
        linearBackward(tape, g, x: x, weight: weight, bias: bias)
    }
}

/// db = Σ_rows g, dW = xᵀ·g (leading axes of x folded into rows), dx = g·Wᵀ.
private func linearBackward(_ tape: Tape, _ g: Tensor, x: Var, weight: Var, bias: Var?) {
    let (xv, wv) = (x.value, weight.value)
    if let bias { tape.accumulate(bias) { db in g.withUnsafeBufferPointer { accumulateRowSums($0, into: db) } } }
    if tape.requiresGrad(weight) {
        let rows = xv.reshaped([-1, wv.shape[0]]), grads = g.reshaped([-1, wv.shape[1]])
        tape.accumulate(weight, Tensor.matmul(rows, grads, transposeA: true))
    }
    if tape.requiresGrad(x) { tape.accumulate(x, Tensor.matmul(g, wv, transposeB: true)) }
}

/// row += b, element by element (the sum a broadcast add computes).
@inline(__always)
private func addBias(_ bias: UnsafeBufferPointer<Float>, to row: UnsafeMutablePointer<Float>) {
    for j in 0..<bias.count { row[j] = row[j] + bias[j] }
}

/// The shared checks of both forms; returns the output width.
private func linearShapes(_ x: Var, _ weight: Var, _ bias: Var?) -> Int {
    let w = weight.shape
    precondition(w.count == 2 && x.shape.last == w[0], "linear: input \(x.shape) and weight \(w) do not match")
    if let bias { precondition(bias.shape == [w[1]], "linear: bias \(bias.shape) must be [\(w[1])]") }
    return w[1]
}

/// F(x·W + b) as one op: the pass that adds the bias also keeps the pre-activation u and writes
/// y = F(u), and the backward forms du = dy ⊙ F′(u) in a buffer of its own before the GEMMs of
/// `linear` (no zero-filled gradient, no separate activation pass). Each element is computed as
/// `linear` followed by `pointwise(F.self)` would.
public func linear<F: PointwiseFunction>(_ x: Var, weight: Var, bias: Var?, activation _: F.Type) -> Var {
    let n = linearShapes(x, weight, bias)
    var u = Tensor.matmul(x.value, weight.value)
    var y = Tensor(overwriting: u.shape)
    func biasThenActivation(_ bp: UnsafeBufferPointer<Float>?) {
        u.withUnsafeMutableBufferPointer { up in y.withUnsafeMutableBufferPointer { yp in
            ParallelRows.forEach(up.count / n, rowLength: n) { rows in
                for r in rows {
                    let (ur, yr) = (up.baseAddress! + r * n, yp.baseAddress! + r * n)
                    if let bp { addBias(bp, to: ur) }
                    for j in 0..<n { yr[j] = F.value(ur[j]) }
                }
            }
        }}
    }
    if let bias { bias.value.withUnsafeBufferPointer { biasThenActivation($0) } } else { biasThenActivation(nil) }
    return x.tape.record(y, inputs: bias.map { [x, weight, $0] } ?? [x, weight]) { tape, g in
        var du = Tensor(overwriting: u.shape)
        g.withUnsafeBufferPointer { gp in u.withUnsafeBufferPointer { up in du.withUnsafeMutableBufferPointer { dp in
            ParallelRows.forEach(dp.count, rowLength: 1) { block in
                for i in block { dp[i] = gp[i] * F.derivative(up[i]) }
            }
        }}}
        linearBackward(tape, du, x: x, weight: weight, bias: bias)
    }
}
