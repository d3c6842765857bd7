/// Causal scaled dot-product attention (Vaswani et al. 2017, eq. 1) on heads already split:
/// O = softmax(Q Kᵀ/√d_h + M) V for q, k, v `[B, H, T, d_h]`, where M is −∞ above the diagonal
/// (query t sees keys s ≤ t) and on keys marked in `keyPadding` (`[B·T]`, true = padding).
///
/// A query whose keys are all masked (a left-padded position in SASRec) outputs zeros and passes
/// no gradient, instead of the 0/0 a plain softmax would give. Both products are one GEMM per
/// (batch, head); the probabilities P are kept for the fused backward:
/// dV = Pᵀ dO, dP = dO Vᵀ, dS = P ⊙ (dP − rowsum(dP ⊙ P)), dQ = dS K/√d_h, dK = dSᵀ Q/√d_h.
public func causalAttention(_ q: Var, _ k: Var, _ v: Var, keyPadding: [Bool]? = nil) -> Var {
    let shape = q.shape
    precondition(shape.count == 4 && k.shape == shape && v.shape == shape,
                 "causalAttention needs q, k, v of one shape [B, H, T, d_h]; got \(q.shape), \(k.shape), \(v.shape)")
    let (b, h, t, dh) = (shape[0], shape[1], shape[2], shape[3])
    if let pad = keyPadding {
        precondition(pad.count == b * t, "causalAttention: keyPadding has \(pad.count) entries, needs B·T = \(b * t)")
    }
    let scale = 1 / Float(dh).squareRoot()
    let (qv, kv, vv) = (q.value, k.value, v.value)
    var probs = Tensor(overwriting: [b, h, t, t])
    var out = Tensor(overwriting: shape)
    let head = t * dh, square = t * t

    qv.withUnsafeBufferPointer { qp in kv.withUnsafeBufferPointer { kp in vv.withUnsafeBufferPointer { vp in
        probs.withUnsafeMutableBufferPointer { pp in out.withUnsafeMutableBufferPointer { op in
            for bh in 0..<(b * h) {
                let p = pp.baseAddress! + bh * square
                BLAS.gemm(transposeA: false, transposeB: true, m: t, n: t, k: dh, alpha: scale,
                          a: qp.baseAddress! + bh * head, lda: dh, b: kp.baseAddress! + bh * head, ldb: dh,
                          c: p, ldc: t)
                let batch = bh / h
                for i in 0..<t {
                    let row = p + i * t
                    var m = -Float.infinity
                    if let pad = keyPadding {
                        for j in 0...i where !pad[batch * t + j] { m = max(m, row[j]) }
                        if m == -Float.infinity {
                            for j in 0..<t { row[j] = 0 }
                            continue
                        }
                        for j in 0...i where pad[batch * t + j] { row[j] = -Float.infinity }
                    } else {
                        for j in 0...i { m = max(m, row[j]) }
                    }
                    // exp(−∞ − m) must be exactly 0 for masked keys; FastMath.exp saturates instead.
                    var z: Float = 0
                    for j in 0...i {
                        let e = row[j] == -Float.infinity ? 0 : FastMath.exp(row[j] - m)
                        row[j] = e
                        z += e
                    }
                    let inv = 1 / z
                    for j in 0...i { row[j] *= inv }
                    for j in (i + 1)..<t { row[j] = 0 }
                }
                BLAS.gemm(transposeA: false, transposeB: false, m: t, n: dh, k: t,
                          a: p, lda: t, b: vp.baseAddress! + bh * head, ldb: dh,
                          c: op.baseAddress! + bh * head, ldc: dh)
            }
        }}
    }}}

    return q.tape.record(out, inputs: [q, k, v]) { tape, g in
        var dq = Tensor(overwriting: shape), dk = Tensor(overwriting: shape), dv = Tensor(overwriting: shape)
        var dscores = Tensor(zeros: [t, t])
        g.withUnsafeBufferPointer { gp in probs.withUnsafeBufferPointer { pp in
            qv.withUnsafeBufferPointer { qp in kv.withUnsafeBufferPointer { kp in vv.withUnsafeBufferPointer { vp in
                dq.withUnsafeMutableBufferPointer { dqp in dk.withUnsafeMutableBufferPointer { dkp in
                    dv.withUnsafeMutableBufferPointer { dvp in dscores.withUnsafeMutableBufferPointer { dsp in
                        let ds = dsp.baseAddress!
                        for bh in 0..<(b * h) {
                            let p = pp.baseAddress! + bh * square, go = gp.baseAddress! + bh * head
                            BLAS.gemm(transposeA: true, transposeB: false, m: t, n: dh, k: t,
                                      a: p, lda: t, b: go, ldb: dh, c: dvp.baseAddress! + bh * head, ldc: dh)
                            BLAS.gemm(transposeA: false, transposeB: true, m: t, n: t, k: dh,
                                      a: go, lda: dh, b: vp.baseAddress! + bh * head, ldb: dh, c: ds, ldc: t)
                            for i in 0..<t {
                                let pr = p + i * t, dr = ds + i * t
                                var dot: Float = 0
                                for j in 0...i { dot += pr[j] * dr[j] }
                                for j in 0..<t { dr[j] = pr[j] * (dr[j] - dot) }
                            }
                            BLAS.gemm(transposeA: false, transposeB: false, m: t, n: dh, k: t, alpha: scale,
                                      a: ds, lda: t, b: kp.baseAddress! + bh * head, ldb: dh,
                                      c: dqp.baseAddress! + bh * head, ldc: dh)
                            BLAS.gemm(transposeA: true, transposeB: false, m: t, n: dh, k: t, alpha: scale,
                                      a: ds, lda: t, b: qp.baseAddress! + bh * head, ldb: dh,
                                      c: dkp.baseAddress! + bh * head, ldc: dh)
                        }
                    }}
                }}
            }}}
        }}
        tape.accumulate(q, dq)
        tape.accumulate(k, dk)
        tape.accumulate(v, dv)
    }
}
