/// y = x·W + b over the last axis of x `[..., in]` with W `[in, out]` and b `[out]`: the GEMM's
/// fresh output gets the bias added in place, so a layer writes one tensor instead of the product
/// and then a second, broadcast sum (each element is the same p + b as that sum computes).
/// Backward: dx = dy·Wᵀ, dW = xᵀ·dy with the leading axes folded into rows, db = Σ_rows dy.
public func linear(_ x: Var, weight: Var, bias: Var?) -> Var {
    let (xv, wv) = (x.value, weight.value)
    precondition(wv.rank == 2 && x.shape.last == wv.shape[0], "linear: input \(x.shape) and weight \(wv.shape) do not match")
    var y = Tensor.matmul(xv, wv)
    let n = wv.shape[1]
    if let bias {
        precondition(bias.shape == [n], "linear: bias \(bias.shape) must be [\(n)]")
        bias.value.withUnsafeBufferPointer { bp in y.withUnsafeMutableBufferPointer { yp in
            ParallelRows.forEach(yp.count / n, rowLength: n) { rows in
                for r in rows {
                    let row = yp.baseAddress! + r * n
                    for j in 0..<n { row[j] = row[j] + bp[j] }
                }
            }
        }}
    }
    let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
    return x.tape.record(y, inputs: inputs) { tape, g in
        if let bias { tape.accumulate(bias) { db in g.withUnsafeBufferPointer { accumulateRowSums($0, into: db) } } }
        if tape.requiresGrad(weight) {
            let rows = xv.reshaped([-1, wv.shape[0]]), grads = g.reshaped([-1, n])
            tape.accumulate(weight, Tensor.matmul(rows, grads, transposeA: true))
        }
        if tape.requiresGrad(x) { tape.accumulate(x, Tensor.matmul(g, wv, transposeB: true)) }
    }
}

/// F(x·W + b) as one op: the pass that adds the bias also keeps the pre-activation u and writes
/// y = F(u), and the backward forms du = dy ⊙ F′(u) in a buffer of its own before the GEMMs of
/// `linear` (no zero-filled gradient, no separate activation pass). Each element is computed as
/// `linear` followed by `pointwise(F.self)` would.
public func linear<F: PointwiseFunction>(_ x: Var, weight: Var, bias: Var?, activation _: F.Type) -> Var {
    let (xv, wv) = (x.value, weight.value)
    precondition(wv.rank == 2 && x.shape.last == wv.shape[0], "linear: input \(x.shape) and weight \(wv.shape) do not match")
    var u = Tensor.matmul(xv, wv)
    var y = Tensor(overwriting: u.shape)
    let n = wv.shape[1]
    if let bias { precondition(bias.shape == [n], "linear: bias \(bias.shape) must be [\(n)]") }
    let shifts = bias?.value ?? Tensor(zeros: [n])
    shifts.withUnsafeBufferPointer { bp in u.withUnsafeMutableBufferPointer { up in y.withUnsafeMutableBufferPointer { yp in
        ParallelRows.forEach(up.count / n, rowLength: n) { rows in
            for r in rows {
                let (ur, yr) = (up.baseAddress! + r * n, yp.baseAddress! + r * n)
                if bias != nil { for j in 0..<n { ur[j] = ur[j] + bp[j] } }
                for j in 0..<n { yr[j] = F.value(ur[j]) }
            }
        }
    }}}
    let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
    return x.tape.record(y, inputs: inputs) { tape, g in
        var du = Tensor(overwriting: u.shape)
        g.withUnsafeBufferPointer { gp in u.withUnsafeBufferPointer { up in du.withUnsafeMutableBufferPointer { dp in
            ParallelRows.forEach(dp.count, rowLength: 1) { block in
                for i in block { dp[i] = gp[i] * F.derivative(up[i]) }
            }
        }}}
        if let bias { tape.accumulate(bias) { db in du.withUnsafeBufferPointer { accumulateRowSums($0, into: db) } } }
        if tape.requiresGrad(weight) {
            let rows = xv.reshaped([-1, wv.shape[0]]), grads = du.reshaped([-1, n])
            tape.accumulate(weight, Tensor.matmul(rows, grads, transposeA: true))
        }
        if tape.requiresGrad(x) { tape.accumulate(x, Tensor.matmul(du, wv, transposeB: true)) }
    }
}
