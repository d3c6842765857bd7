/// Causal depthwise convolution over time, as in Mamba's short convolution before the scan:
/// for x `[B, T, C]`, weight w `[C, K]` and bias `[C]`,
/// y[b,t,c] = bias[c] + Σ_{k<K} w[c,k] · x[b, t−(K−1)+k, c], with x = 0 before t = 0
/// (a PyTorch `Conv1d(groups=C, padding=K−1)` truncated to the first T outputs), so y at t only
/// sees inputs at times ≤ t. Backward: dx and dw are the same sums read the other way. The
/// forward and dx run over sequences on the engine's threads; each sequence's result is computed
/// the same way on any thread.
public func causalDepthwiseConv1d(_ x: Var, weight: Var, bias: Var) -> Var {
    precondition(x.shape.count == 3, "causalDepthwiseConv1d needs x [B, T, C], got \(x.shape)")
    let (b, t, c) = (x.shape[0], x.shape[1], x.shape[2])
    precondition(weight.shape.count == 2 && weight.shape[0] == c && bias.shape == [c],
                 "causalDepthwiseConv1d: weight \(weight.shape) must be [\(c), K] and bias \(bias.shape) [\(c)]")
    let k = weight.shape[1]
    let (xv, wv) = (x.value, weight.value)
    var y = Tensor(zeros: x.shape)
    xv.withUnsafeBufferPointer { xp in wv.withUnsafeBufferPointer { wp in bias.value.withUnsafeBufferPointer { bp in
        y.withUnsafeMutableBufferPointer { yp in
            ParallelRows.forEach(b, rowLength: t * c) { rows in for bi in rows {
                for ti in 0..<t {
                    let out = yp.baseAddress! + (bi * t + ti) * c
                    for ci in 0..<c { out[ci] = bp[ci] }
                    for kk in max(0, k - 1 - ti)..<k {
                        let src = xp.baseAddress! + (bi * t + ti - (k - 1) + kk) * c
                        for ci in 0..<c { out[ci] += wp[ci * k + kk] * src[ci] }
                    }
                }
            }}
        }
    }}}
    return x.tape.record(y, inputs: [x, weight, bias]) { tape, g in
        g.withUnsafeBufferPointer { gp in
            tape.accumulate(bias) { db in accumulateRowSums(gp, into: db) }
            tape.accumulate(weight) { dw in xv.withUnsafeBufferPointer { xp in
                for bi in 0..<b {
                    for ti in 0..<t {
                        let go = gp.baseAddress! + (bi * t + ti) * c
                        for kk in max(0, k - 1 - ti)..<k {
                            let src = xp.baseAddress! + (bi * t + ti - (k - 1) + kk) * c
                            for ci in 0..<c { dw[ci * k + kk] += go[ci] * src[ci] }
                        }
                    }
                }
            }}
            // Sequences are independent in dx (dw sums over them, in order, on one thread).
            tape.accumulate(x) { dx in wv.withUnsafeBufferPointer { wp in
                ParallelRows.forEach(b, rowLength: t * c) { rows in for bi in rows {
                    for ti in 0..<t {
                        let go = gp.baseAddress! + (bi * t + ti) * c
                        for kk in max(0, k - 1 - ti)..<k {
                            let dst = dx.baseAddress! + (bi * t + ti - (k - 1) + kk) * c
                            for ci in 0..<c { dst[ci] += wp[ci * k + kk] * go[ci] }
                        }
                    }
                }}
            }}
        }
    }
}
