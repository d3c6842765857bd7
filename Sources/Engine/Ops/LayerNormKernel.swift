import Foundation

/// Layer normalisation over the last axis (Ba, Kiros & Hinton 2016):
/// x̂ = (x − μ)/√(σ² + ε), y = γ ⊙ x̂ + β, with μ, σ² the mean and (biased) variance of each row.
///
/// Fused backward, per row of width n with ĝ = γ ⊙ dy:
/// dx = (ĝ − mean(ĝ) − x̂ · mean(ĝ ⊙ x̂)) / √(σ² + ε), dγ = Σ_rows dy ⊙ x̂, dβ = Σ_rows dy.
public func layerNorm(_ x: Var, gain: Var, bias: Var, eps: Float = 1e-5) -> Var {
    let n = x.shape.last!
    precondition(gain.shape == [n] && bias.shape == [n],
                 "layerNorm: gain \(gain.shape) and bias \(bias.shape) must be [\(n)] for input \(x.shape)")
    let rows = x.value.count / n
    var xhat = Tensor(overwriting: [rows, n]), rstd = Tensor(overwriting: [rows])
    var y = Tensor(overwriting: x.shape)
    x.value.withUnsafeBufferPointer { xp in gain.value.withUnsafeBufferPointer { gp in bias.value.withUnsafeBufferPointer { bp in
        xhat.withUnsafeMutableBufferPointer { hp in rstd.withUnsafeMutableBufferPointer { rp in y.withUnsafeMutableBufferPointer { yp in
            ParallelRows.forEach(rows, rowLength: n) { block in for r in block {
                let row = xp.baseAddress! + r * n
                var mean: Float = 0
                for j in 0..<n { mean += row[j] }
                mean /= Float(n)
                var variance: Float = 0
                for j in 0..<n { let c = row[j] - mean; variance += c * c }
                variance /= Float(n)
                let s = 1 / (variance + eps).squareRoot()
                rp[r] = s
                let (hr, yr) = (hp.baseAddress! + r * n, yp.baseAddress! + r * n)
                for j in 0..<n {
                    let h = (row[j] - mean) * s
                    hr[j] = h
                    yr[j] = gp[j] * h + bp[j]
                }
            }}
        }}}
    }}}
    let gainValue = gain.value
    return x.tape.record(y, inputs: [x, gain, bias]) { tape, g in
        // Column blocks in parallel: each dγ_j still sums its rows in order.
        tape.accumulate(gain) { dg in g.withUnsafeBufferPointer { gp in xhat.withUnsafeBufferPointer { hp in
            ParallelRows.forEach(n, rowLength: rows) { cols in
                for r in 0..<rows {
                    let (gr, hr) = (gp.baseAddress! + r * n, hp.baseAddress! + r * n)
                    for j in cols { dg[j] += gr[j] * hr[j] }
                }
            }
        }}}
        tape.accumulate(bias) { db in g.withUnsafeBufferPointer { accumulateRowSums($0, into: db) } }
        tape.accumulate(x) { dx in
            g.withUnsafeBufferPointer { gp in xhat.withUnsafeBufferPointer { hp in
                rstd.withUnsafeBufferPointer { rp in gainValue.withUnsafeBufferPointer { wp in
                    ParallelRows.forEach(rows, rowLength: n) { block in for r in block {
                        let (gr, hr, dr) = (gp.baseAddress! + r * n, hp.baseAddress! + r * n, dx.baseAddress! + r * n)
                        var meanG: Float = 0, meanGH: Float = 0
                        for j in 0..<n { let gh = wp[j] * gr[j]; meanG += gh; meanGH += gh * hr[j] }
                        meanG /= Float(n); meanGH /= Float(n)
                        let s = rp[r]
                        for j in 0..<n { dr[j] += (wp[j] * gr[j] - meanG - hr[j] * meanGH) * s }
                    }}
                }}
            }}
        }
    }
}
