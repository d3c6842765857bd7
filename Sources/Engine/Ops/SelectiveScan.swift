import Foundation

/// The selective scan S6 of Mamba (Gu & Dao 2023, Algorithm 2 and eq. 2a–2b, 4).
///
/// For each batch b and channel d, with state h ∈ ℝᴺ starting at 0:
///   h_t = exp(Δ_t A_d) ⊙ h_{t−1} + Δ_t B_t u_t        (Ā by zero-order hold, B̄ = Δ B by Euler,
///   y_t = C_t · h_t + D_d u_t                            as the reference `selective_scan_ref` does)
/// Shapes: u, Δ `[B, T, D]` (Δ already positive, after softplus), A `[D, N]`, B and C `[B, T, N]`,
/// D `[D]`; y is `[B, T, D]`.
///
/// Memory, as the fused kernel of the paper (§3.3.2, "recomputation"): the forward keeps no
/// state, only a running h per (b, d); the backward recomputes one sequence's states at a time into
/// a `[T, D, N]` scratch and runs the recurrence in reverse time with an adjoint state ḡ (`[D, N]`):
/// ḡ_t = ∂L/∂h_t = dy_t C_t + exp(Δ_{t+1} A) ⊙ ḡ_{t+1}, and then
///   dΔ_t += Σ_n ḡ (A h_{t−1} e^{Δ A} + B_t u_t),  dA += ḡ Δ_t e^{Δ A} h_{t−1},
///   dB_t += Σ_d ḡ Δ_t u_t,  du_t += Σ_n ḡ Δ_t B_t + dy_t D,  dC_t += Σ_d dy_t h_t,  dD += dy_t u_t.
/// So a training step holds O(T·D·N) scan memory instead of O(B·T·D·N), at the price of a second
/// forward recurrence, and memory grows linearly in T with a small constant.
public func selectiveScan(u: Var, delta: Var, A: Var, B: Var, C: Var, D: Var) -> Var {
    let shape = u.shape
    precondition(shape.count == 3 && delta.shape == shape,
                 "selectiveScan: u \(u.shape) and delta \(delta.shape) must both be [B, T, D]")
    let (nb, nt, nd) = (shape[0], shape[1], shape[2])
    precondition(A.shape.count == 2 && A.shape[0] == nd, "selectiveScan: A \(A.shape) must be [\(nd), N]")
    let ns = A.shape[1]
    precondition(B.shape == [nb, nt, ns] && C.shape == [nb, nt, ns] && D.shape == [nd],
                 "selectiveScan: B \(B.shape) and C \(C.shape) must be [\(nb), \(nt), \(ns)], D \(D.shape) [\(nd)]")
    let (uv, dv, av, bv, cv, skip) = (u.value, delta.value, A.value, B.value, C.value, D.value)
    var y = Tensor(zeros: shape)
    var running = Tensor(zeros: [nd, ns])

    uv.withUnsafeBufferPointer { up in dv.withUnsafeBufferPointer { dp in av.withUnsafeBufferPointer { ap in
    bv.withUnsafeBufferPointer { bp in cv.withUnsafeBufferPointer { cp in skip.withUnsafeBufferPointer { sp in
    running.withUnsafeMutableBufferPointer { hp in y.withUnsafeMutableBufferPointer { yp in
        for b in 0..<nb {
            hp.update(repeating: 0)
            for t in 0..<nt {
                let bt = b * nt + t
                let bRow = bp.baseAddress! + bt * ns, cRow = cp.baseAddress! + bt * ns
                for d in 0..<nd {
                    let x = up[bt * nd + d], dt = dp[bt * nd + d]
                    let aRow = ap.baseAddress! + d * ns, hd = hp.baseAddress! + d * ns
                    let dtx = dt * x
                    for n in 0..<ns { hd[n] = FastMath.exp(dt * aRow[n]) * hd[n] + dtx * bRow[n] }
                    var out: Float = 0
                    for n in 0..<ns { out += cRow[n] * hd[n] }
                    yp[bt * nd + d] = out + sp[d] * x
                }
            }
        }
    }}}}}}}}

    return u.tape.record(y, inputs: [u, delta, A, B, C, D]) { tape, g in
        var du = Tensor(zeros: shape), dDelta = Tensor(zeros: shape)
        var dA = Tensor(zeros: [nd, ns]), dB = Tensor(zeros: [nb, nt, ns]), dC = Tensor(zeros: [nb, nt, ns])
        var dD = Tensor(zeros: [nd])
        var adjoint = Tensor(zeros: [nd, ns])
        // One sequence's states h_t and decays exp(Δ_t A), recomputed per sequence; `zero` is h_{−1}.
        var states = Tensor(zeros: [nt, nd, ns]), decays = Tensor(zeros: [nt, nd, ns])
        let zero = Tensor(zeros: [nd, ns])
        g.withUnsafeBufferPointer { gp in states.withUnsafeMutableBufferPointer { hp in
        decays.withUnsafeMutableBufferPointer { ep in zero.withUnsafeBufferPointer { zp in
        uv.withUnsafeBufferPointer { up in dv.withUnsafeBufferPointer { dp in av.withUnsafeBufferPointer { ap in
        bv.withUnsafeBufferPointer { bp in cv.withUnsafeBufferPointer { cp in skip.withUnsafeBufferPointer { sp in
        du.withUnsafeMutableBufferPointer { dup in dDelta.withUnsafeMutableBufferPointer { ddp in
        dA.withUnsafeMutableBufferPointer { dap in dB.withUnsafeMutableBufferPointer { dbp in
        dC.withUnsafeMutableBufferPointer { dcp in dD.withUnsafeMutableBufferPointer { dsp in
        adjoint.withUnsafeMutableBufferPointer { adj in
            for b in 0..<nb {
                for t in 0..<nt {
                    let bt = b * nt + t
                    let bRow = bp.baseAddress! + bt * ns, h = hp.baseAddress! + t * nd * ns
                    let e = ep.baseAddress! + t * nd * ns
                    let before = t == 0 ? zp.baseAddress! : UnsafePointer(h - nd * ns)
                    for d in 0..<nd {
                        let x = up[bt * nd + d], dt = dp[bt * nd + d]
                        let aRow = ap.baseAddress! + d * ns, hd = h + d * ns, ed = e + d * ns, prev = before + d * ns
                        let dtx = dt * x
                        for n in 0..<ns { ed[n] = FastMath.exp(dt * aRow[n]) }
                        for n in 0..<ns { hd[n] = ed[n] * prev[n] + dtx * bRow[n] }
                    }
                }
                adj.update(repeating: 0)
                for t in stride(from: nt - 1, through: 0, by: -1) {
                    let bt = b * nt + t
                    let bRow = bp.baseAddress! + bt * ns, cRow = cp.baseAddress! + bt * ns
                    let dbRow = dbp.baseAddress! + bt * ns, dcRow = dcp.baseAddress! + bt * ns
                    let h = hp.baseAddress! + t * nd * ns, e = ep.baseAddress! + t * nd * ns
                    let before = t == 0 ? zp.baseAddress! : UnsafePointer(h - nd * ns)
                    for d in 0..<nd {
                        let i = bt * nd + d
                        let gy = gp[i], x = up[i], dt = dp[i]
                        dsp[d] += gy * x
                        var gb: Float = 0, gdt: Float = 0
                        let aRow = ap.baseAddress! + d * ns, daRow = dap.baseAddress! + d * ns
                        let hd = h + d * ns, ed = e + d * ns, prev = before + d * ns, ad = adj.baseAddress! + d * ns
                        let dtx = dt * x
                        for n in 0..<ns {
                            let gh = ad[n] + gy * cRow[n]
                            dcRow[n] += gy * hd[n]
                            dbRow[n] += gh * dtx
                            gb += gh * bRow[n]
                            let carried = ed[n] * prev[n]
                            gdt += gh * (bRow[n] * x + aRow[n] * carried)
                            daRow[n] += gh * dt * carried
                            ad[n] = gh * ed[n]
                        }
                        let gx = gy * sp[d] + dt * gb
                        dup[i] += gx
                        ddp[i] += gdt
                    }
                }
            }
        }}}}}}}}}}}}}}}}}
        tape.accumulate(u, du)
        tape.accumulate(delta, dDelta)
        tape.accumulate(A, dA)
        tape.accumulate(B, dB)
        tape.accumulate(C, dC)
        tape.accumulate(D, dD)
    }
}
