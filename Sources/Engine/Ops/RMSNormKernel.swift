/// Root-mean-square normalisation over the last axis (Zhang & Sennrich 2019):
/// r = 1/√(mean(x²) + ε), y = γ ⊙ x · r.
///
/// Fused backward, per row of width n with ĝ = γ ⊙ dy:
/// dx = r·ĝ − x · r³ · mean(ĝ ⊙ x), dγ = Σ_rows dy ⊙ x · r.
public func rmsNorm(_ x: Var, gain: Var, eps: Float = 1e-5) -> Var {
    let n = x.shape.last!
    precondition(gain.shape == [n], "rmsNorm: gain \(gain.shape) must be [\(n)] for input \(x.shape)")
    let rows = x.value.count / n
    let xv = x.value, gainValue = gain.value
    var rinv = Tensor(overwriting: [rows])
    var y = Tensor(overwriting: x.shape)
    xv.withUnsafeBufferPointer { xp in gainValue.withUnsafeBufferPointer { gp in
        rinv.withUnsafeMutableBufferPointer { rp in y.withUnsafeMutableBufferPointer { yp in
            ParallelRows.forEach(rows, rowLength: n) { block in for r in block {
                let (xr, yr) = (xp.baseAddress! + r * n, yp.baseAddress! + r * n)
                var ms: Float = 0
                for j in 0..<n { ms += xr[j] * xr[j] }
                let s = 1 / (ms / Float(n) + eps).squareRoot()
                rp[r] = s
                for j in 0..<n { yr[j] = gp[j] * xr[j] * s }
            }}
        }}
    }}
    return x.tape.record(y, inputs: [x, gain]) { tape, g in
        g.withUnsafeBufferPointer { gp in xv.withUnsafeBufferPointer { xp in rinv.withUnsafeBufferPointer { rp in
            tape.accumulate(gain) { dg in
                // Column blocks in parallel: each dγ_j still sums its rows in order.
                ParallelRows.forEach(n, rowLength: rows) { cols in
                    for r in 0..<rows {
                        let (gr, xr, s) = (gp.baseAddress! + r * n, xp.baseAddress! + r * n, rp[r])
                        for j in cols { dg[j] += gr[j] * xr[j] * s }
                    }
                }
            }
            tape.accumulate(x) { dx in gainValue.withUnsafeBufferPointer { wp in
                ParallelRows.forEach(rows, rowLength: n) { block in for r in block {
                    let (gr, xr, dr, s) = (gp.baseAddress! + r * n, xp.baseAddress! + r * n, dx.baseAddress! + r * n, rp[r])
                    var meanGX: Float = 0
                    for j in 0..<n { meanGX += wp[j] * gr[j] * xr[j] }
                    meanGX /= Float(n)
                    let c = s * s * s * meanGX
                    for j in 0..<n { dr[j] += s * wp[j] * gr[j] - xr[j] * c }
                }}
            }}
        }}}
    }
}
