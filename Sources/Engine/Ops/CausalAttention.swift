/// Causal scaled dot-product attention (Vaswani et al. 2017, eq. 1) straight from the fused
/// projection: O = softmax(Q Kᵀ/√d_h + M) V for every head, where `qkv` is `[B, T, 3d]` holding
/// q | k | v along the last axis (each d = H·d_h wide, head h in columns h·d_h..<(h+1)·d_h) and the
/// result is `[B, T, d]` with the heads side by side, ready for the output projection. M is −∞
/// above the diagonal (query t sees keys s ≤ t) and on keys marked in `keyPadding` (`[B·T]`, true =
/// padding).
///
/// The GEMMs read each head in place through their leading dimension (3d for q, k, v; d for the
/// output), so no slice, head permutation or concatenation is copied forward or backward. The
/// (batch, head) pairs are independent and run in parallel over `BLAS.threads` threads; each
/// pair's arithmetic is the same whichever thread runs it.
///
/// A query whose keys are all masked (a left-padded position in SASRec) outputs zeros and passes
/// no gradient, instead of the 0/0 a plain softmax would give. The probabilities P are kept for the
/// fused backward: dV = Pᵀ dO, dP = dO Vᵀ, dS = P ⊙ (dP − rowsum(dP ⊙ P)), dQ = dS K/√d_h,
/// dK = dSᵀ Q/√d_h.
///
/// `dropout` (rate p, generator) drops attention probabilities as BERT and RecBole do: O = (P ⊙ M) V
/// with M ∈ {0, 1/(1 − p)}; the backward then uses dP = (dO Vᵀ) ⊙ M. Each (batch, head) pair draws
/// its mask from its own stream of the generator, so the masks do not depend on which thread runs it.
public func causalAttention(_ qkv: Var, heads: Int, keyPadding: [Bool]? = nil, dropout: (rate: Float, rng: RNG)? = nil) -> Var {
    precondition(qkv.shape.count == 3 && qkv.shape[2] % (3 * heads) == 0,
                 "causalAttention needs q|k|v as [B, T, 3·d] with d divisible by \(heads) heads; got \(qkv.shape)")
    let (b, t, d) = (qkv.shape[0], qkv.shape[1], qkv.shape[2] / 3), dh = d / heads
    if let pad = keyPadding {
        precondition(pad.count == b * t, "causalAttention: keyPadding has \(pad.count) entries, needs B·T = \(b * t)")
    }
    let scale = 1 / Float(dh).squareRoot()
    let packed = qkv.value
    var probs = Tensor(overwriting: [b, heads, t, t])
    let drop = dropout.flatMap { $0.rate > 0 ? $0 : nil }
    if let drop { precondition(drop.rate < 1, "causalAttention: dropout rate \(drop.rate) must lie in [0, 1)") }
    var masks = Tensor(overwriting: drop == nil ? [0] : [b, heads, t, t])
    var out = Tensor(overwriting: [b, t, d])
    let square = t * t, ld = 3 * d
    /// Offset of head `h` of batch entry `i` in `qkv` (its q; k and v follow at +d and +2d) and in `out`.
    func inPacked(_ pair: Int) -> Int { (pair / heads) * t * ld + (pair % heads) * dh }
    func inOut(_ pair: Int) -> Int { (pair / heads) * t * d + (pair % heads) * dh }

    packed.withUnsafeBufferPointer { qkvp in probs.withUnsafeMutableBufferPointer { pp in out.withUnsafeMutableBufferPointer { op in
        masks.withUnsafeMutableBufferPointer { mp in
            let (qkv, probs, out, masks) = (qkvp.baseAddress!, pp.baseAddress!, op.baseAddress!, drop == nil ? nil : mp.baseAddress)
            ParallelRows.forEach(b * heads, rowLength: square) { pairs in
                let dropped = drop == nil ? nil : UnsafeMutablePointer<Float>.allocate(capacity: square)
                defer { dropped?.deallocate() }
                for pair in pairs {
                    let q = qkv + inPacked(pair), p = probs + pair * square
                    BLAS.gemm(transposeA: false, transposeB: true, m: t, n: t, k: dh, alpha: scale,
                              a: q, lda: ld, b: q + d, ldb: ld, c: p, ldc: t)
                    maskedSoftmax(p, t: t, padding: keyPadding, offset: (pair / heads) * t)
                    var weights = UnsafePointer(p)
                    if let drop, let dropped, let masks {
                        var rng = drop.rng.stream("attention", pair)
                        drawDropoutMask(masks + pair * square, count: square, rate: drop.rate, rng: &rng)
                        for j in 0..<square { dropped[j] = p[j] * masks[pair * square + j] }
                        weights = UnsafePointer(dropped)
                    }
                    BLAS.gemm(transposeA: false, transposeB: false, m: t, n: dh, k: t,
                              a: weights, lda: t, b: q + 2 * d, ldb: ld, c: out + inOut(pair), ldc: d)
                }
            }
        }
    }}}

    return qkv.tape.record(out, inputs: [qkv]) { tape, g in
        var dqkv = Tensor(overwriting: qkv.shape)
        g.withUnsafeBufferPointer { gp in probs.withUnsafeBufferPointer { pp in packed.withUnsafeBufferPointer { qkvp in
            dqkv.withUnsafeMutableBufferPointer { dp in masks.withUnsafeBufferPointer { mp in
                let (g, probs, qkv, dqkv, masks) = (gp.baseAddress!, pp.baseAddress!, qkvp.baseAddress!, dp.baseAddress!, drop == nil ? nil : mp.baseAddress)
                ParallelRows.forEach(b * heads, rowLength: square) { pairs in
                    let ds = UnsafeMutablePointer<Float>.allocate(capacity: square)
                    let dropped = drop == nil ? nil : UnsafeMutablePointer<Float>.allocate(capacity: square)
                    defer { ds.deallocate(); dropped?.deallocate() }
                    for pair in pairs {
                        let p = probs + pair * square, go = g + inOut(pair)
                        let q = qkv + inPacked(pair), dq = dqkv + inPacked(pair)
                        var weights = UnsafePointer(p)
                        if let dropped, let masks {
                            for j in 0..<square { dropped[j] = p[j] * masks[pair * square + j] }
                            weights = UnsafePointer(dropped)
                        }
                        BLAS.gemm(transposeA: true, transposeB: false, m: t, n: dh, k: t,
                                  a: weights, lda: t, b: go, ldb: d, c: dq + 2 * d, ldc: ld)
                        BLAS.gemm(transposeA: false, transposeB: true, m: t, n: t, k: dh,
                                  a: go, lda: d, b: q + 2 * d, ldb: ld, c: ds, ldc: t)
                        if let masks {
                            for j in 0..<square { ds[j] *= masks[pair * square + j] }
                        }
                        for i in 0..<t {
                            let pr = p + i * t, dr = ds + i * t
                            var dot: Float = 0
                            for j in 0...i { dot += pr[j] * dr[j] }
                            for j in 0..<t { dr[j] = pr[j] * (dr[j] - dot) }
                        }
                        BLAS.gemm(transposeA: false, transposeB: false, m: t, n: dh, k: t, alpha: scale,
                                  a: ds, lda: t, b: q + d, ldb: ld, c: dq, ldc: ld)
                        BLAS.gemm(transposeA: true, transposeB: false, m: t, n: dh, k: t, alpha: scale,
                                  a: ds, lda: t, b: q, ldb: ld, c: dq + d, ldc: ld)
                    }
                }
            }}
        }}}
        tape.accumulate(qkv, dqkv)
    }
}

/// Row-wise causal softmax of one head's scaled scores `[t, t]` in place: row i over keys j ≤ i
/// that are not padding (`padding[offset + j]`), zeros elsewhere; a row with no visible key is all
/// zeros.
private func maskedSoftmax(_ p: UnsafeMutablePointer<Float>, t: Int, padding: [Bool]?, offset: Int) {
    for i in 0..<t {
        let row = p + i * t
        var m = -Float.infinity
        if let pad = padding {
            for j in 0...i where !pad[offset + j] { m = max(m, row[j]) }
            if m == -Float.infinity {
                for j in 0..<t { row[j] = 0 }
                continue
            }
            for j in 0...i where pad[offset + j] { row[j] = -Float.infinity }
        } else {
            m = RowKernels.max(row, i + 1)
        }
        // exp(−∞ − m) must be exactly 0 for masked keys; FastMath.exp saturates instead. The
        // exponentials (a vectorised loop) and their sum (in key order) are separate passes.
        for j in 0...i { row[j] = row[j] == -Float.infinity ? 0 : FastMath.exp(row[j] - m) }
        var z: Float = 0
        for j in 0...i { z += row[j] }
        let inv = 1 / z
        for j in 0...i { row[j] *= inv }
        for j in (i + 1)..<t { row[j] = 0 }
    }
}
