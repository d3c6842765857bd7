import Foundation

/// The recurrence of a GRU layer (Cho et al. 2014, in PyTorch's `nn.GRU` form), with the input
/// projections of every step already computed (`x W_i + b_i`, one GEMM outside):
///
///   r_t = σ(xr_t + h_{t−1} W_hr + b_hr)
///   z_t = σ(xz_t + h_{t−1} W_hz + b_hz)
///   n_t = tanh(xn_t + r_t ⊙ (h_{t−1} W_hn + b_hn))
///   h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1},            h_{−1} = 0
///
/// Shapes: `projected` `[B, T, 3H]` (gates in PyTorch's order r, z, n), `weight` `[H, 3H]`,
/// `bias` `[3H]` (nil: no b_h, as `nn.GRU(bias=False)`); the result is every h_t, `[B, T, H]`. One GEMM per step forward and two per
/// step backward (through time: the carried ∂L/∂h_{t−1} and the weight gradient).
public func gruRecurrence(_ projected: Var, weight: Var, bias: Var?) -> Var {
    precondition(projected.shape.count == 3 && projected.shape[2] % 3 == 0,
                 "gruRecurrence: projected inputs \(projected.shape) must be [B, T, 3H]")
    let (nb, nt, h3) = (projected.shape[0], projected.shape[1], projected.shape[2])
    let nh = h3 / 3
    precondition(weight.shape == [nh, h3] && (bias?.shape ?? [h3]) == [h3],
                 "gruRecurrence: weight \(weight.shape) must be [\(nh), \(h3)] and bias \(bias?.shape ?? []) [\(h3)]")
    let (xv, wv, bv) = (projected.value, weight.value, bias?.value ?? Tensor(zeros: [h3]))
    var out = Tensor(zeros: [nb, nt, nh])
    // Saved for the backward: the gates r, z, n and the recurrent part of the candidate, h W_hn + b_hn.
    var gates = Tensor(zeros: [nb, nt, h3])
    var candidate = Tensor(zeros: [nb, nt, nh])
    var hp = Tensor(zeros: [nb, h3])
    let rowStride = nt * nh
    xv.withUnsafeBufferPointer { xp in wv.withUnsafeBufferPointer { wp in bv.withUnsafeBufferPointer { bp in
    out.withUnsafeMutableBufferPointer { op in gates.withUnsafeMutableBufferPointer { gp in
    candidate.withUnsafeMutableBufferPointer { cp in hp.withUnsafeMutableBufferPointer { hpp in
        for t in 0..<nt {
            if t == 0 {
                hpp.update(repeating: 0)
            } else {
                BLAS.gemm(transposeA: false, transposeB: false, m: nb, n: h3, k: nh,
                          a: op.baseAddress! + (t - 1) * nh, lda: rowStride, b: wp.baseAddress!, ldb: h3,
                          c: hpp.baseAddress!, ldc: h3)
            }
            for b in 0..<nb {
                let x = xp.baseAddress! + (b * nt + t) * h3, rec = hpp.baseAddress! + b * h3
                let g = gp.baseAddress! + (b * nt + t) * h3, c = cp.baseAddress! + (b * nt + t) * nh
                let h = op.baseAddress! + (b * nt + t) * nh
                for j in 0..<nh {
                    let r = 1 / (1 + Foundation.exp(-(x[j] + rec[j] + bp[j])))
                    let z = 1 / (1 + Foundation.exp(-(x[nh + j] + rec[nh + j] + bp[nh + j])))
                    let hn = rec[2 * nh + j] + bp[2 * nh + j]
                    let n = Foundation.tanh(x[2 * nh + j] + r * hn)
                    let previous: Float = t == 0 ? 0 : h[j - nh]
                    h[j] = (1 - z) * n + z * previous
                    g[j] = r; g[nh + j] = z; g[2 * nh + j] = n
                    c[j] = hn
                }
            }
        }
    }}}}}}}

    return projected.tape.record(out, inputs: [projected, weight] + (bias.map { [$0] } ?? [])) { tape, grad in
        var dx = Tensor(zeros: [nb, nt, h3]), dw = Tensor(zeros: [nh, h3]), db = Tensor(zeros: [h3])
        var carry = Tensor(zeros: [nb, nh]), dhp = Tensor(zeros: [nb, h3])
        grad.withUnsafeBufferPointer { up in out.withUnsafeBufferPointer { op in gates.withUnsafeBufferPointer { gp in
        candidate.withUnsafeBufferPointer { cp in wv.withUnsafeBufferPointer { wp in
        dx.withUnsafeMutableBufferPointer { dxp in dw.withUnsafeMutableBufferPointer { dwp in db.withUnsafeMutableBufferPointer { dbp in
        carry.withUnsafeMutableBufferPointer { cr in dhp.withUnsafeMutableBufferPointer { dh3 in
            for t in stride(from: nt - 1, through: 0, by: -1) {
                for b in 0..<nb {
                    let i = b * nt + t
                    let g = gp.baseAddress! + i * h3, c = cp.baseAddress! + i * nh
                    let dy = up.baseAddress! + i * nh, h = op.baseAddress! + i * nh
                    let dxr = dxp.baseAddress! + i * h3, drec = dh3.baseAddress! + b * h3, keep = cr.baseAddress! + b * nh
                    for j in 0..<nh {
                        let (r, z, n) = (g[j], g[nh + j], g[2 * nh + j])
                        let previous: Float = t == 0 ? 0 : h[j - nh]
                        let dh = dy[j] + keep[j]
                        let dn = dh * (1 - z), dz = dh * (previous - n)
                        let an = dn * (1 - n * n)
                        let ar = an * c[j] * r * (1 - r), az = dz * z * (1 - z)
                        dxr[j] = ar; dxr[nh + j] = az; dxr[2 * nh + j] = an
                        drec[j] = ar; drec[nh + j] = az; drec[2 * nh + j] = an * r
                        keep[j] = dh * z
                    }
                }
                accumulateRowSums(UnsafeBufferPointer(dh3), into: dbp)
                guard t > 0 else { break }
                // ∂L/∂h_{t−1} += dhp · W_hᵀ, and dW_h += h_{t−1}ᵀ · dhp.
                BLAS.gemm(transposeA: false, transposeB: true, m: nb, n: nh, k: h3,
                          a: dh3.baseAddress!, lda: h3, b: wp.baseAddress!, ldb: h3,
                          beta: 1, c: cr.baseAddress!, ldc: nh)
                BLAS.gemm(transposeA: true, transposeB: false, m: nh, n: h3, k: nb,
                          a: op.baseAddress! + (t - 1) * nh, lda: rowStride, b: dh3.baseAddress!, ldb: h3,
                          beta: 1, c: dwp.baseAddress!, ldc: h3)
            }
        }}}}}}}}}}
        tape.accumulate(projected, dx)
        tape.accumulate(weight, dw)
        if let bias { tape.accumulate(bias, db) }
    }
}
