import Foundation

/// The selective scan S6 of Mamba (Gu & Dao 2023, Algorithm 2 and eq. 2a–2b, 4).
///
/// For each batch b and channel d, with state h ∈ ℝᴺ starting at 0:
///   h_t = exp(Δ_t A_d) ⊙ h_{t−1} + Δ_t B_t u_t        (Ā by zero-order hold, B̄ = Δ B by Euler,
///   y_t = C_t · h_t + D_d u_t                            as the reference `selective_scan_ref` does)
/// Shapes: u, Δ `[B, T, D]` (Δ already positive, after softplus), A `[D, N]`, B and C `[B, T, N]`,
/// D `[D]`; y is `[B, T, D]`, or `[B, D]` with `positions`: row b's output at step `positions[b]`
/// only (the last real item of a right-padded sequence), the steps after it never computed.
///
/// Backward, with the adjoint state ḡ_t = ∂L/∂h_t = dy_t C_t + exp(Δ_{t+1} A) ⊙ ḡ_{t+1} run in
/// reverse time:
///   dΔ_t += Σ_n ḡ (A h_{t−1} e^{Δ A} + B_t u_t),  dA += ḡ Δ_t e^{Δ A} h_{t−1},
///   dB_t += Σ_d ḡ Δ_t u_t,  du_t += Σ_n ḡ Δ_t B_t + dy_t D,  dC_t += Σ_d dy_t h_t,  dD += dy_t u_t.
///
/// How it runs on a CPU (the role of the paper's fused kernel, §3.3.2):
/// - Vectorised over channels: states are held as `[N, D]` per sequence, eight channels per SIMD
///   vector, so every step is elementwise across d and y_t accumulates over n in the vector lanes.
///   Per channel the forward does exactly the scalar recurrence's operations in the same order.
/// - Discretisation fused: exp(Δ_t A) and Δ_t B_t u_t are formed inside the recurrence, never stored
///   as `[B, T, D, N]` tensors.
/// - Parallel over sequences: the forward takes them one by one from a shared counter (each is
///   independent), the backward in `pieces` blocks fixed by the batch size, whose sums of dA and dD
///   are added in block order, so the result does not depend on the thread count.
/// - Recomputation ("recomputation" of §3.3.2): the forward of a recording tape keeps only the
///   state every `chunk` steps; the backward recomputes one chunk's states and decays at a time
///   (sized to stay in the L2 cache) and runs the adjoint through it. Scan memory is
///   O(B·T·D·N / chunk), linear in T with a small constant.
public func selectiveScan(u: Var, delta: Var, A: Var, B: Var, C: Var, D: Var, positions: [Int]? = nil) -> Var {
    selectiveScan(u: u, delta: delta, A: A, B: B, C: C, D: D, positions: positions, chunk: nil)
}

/// `chunk` overrides the backward's chunk length (tests cover several chunks on small shapes).
func selectiveScan(u: Var, delta: Var, A: Var, B: Var, C: Var, D: Var, positions: [Int]?, chunk: Int?) -> Var {
    let shape = u.shape
    precondition(shape.count == 3 && delta.shape == shape,
                 "selectiveScan: u \(u.shape) and delta \(delta.shape) must both be [B, T, D]")
    let (nb, nt, nd) = (shape[0], shape[1], shape[2])
    precondition(A.shape.count == 2 && A.shape[0] == nd, "selectiveScan: A \(A.shape) must be [\(nd), N]")
    let ns = A.shape[1]
    precondition(B.shape == [nb, nt, ns] && C.shape == [nb, nt, ns] && D.shape == [nd],
                 "selectiveScan: B \(B.shape) and C \(C.shape) must be [\(nb), \(nt), \(ns)], D \(D.shape) [\(nd)]")
    if let positions {
        precondition(positions.count == nb && positions.allSatisfy { (0..<nt).contains($0) },
                     "selectiveScan: positions must give one step in 0..<\(nt) for each of the \(nb) sequences")
    }
    let scan = ScanLayout(batch: nb, time: nt, channels: nd, state: ns, chunk: chunk)
    let steps = positions.map { $0.map { $0 + 1 } } ?? Array(repeating: nt, count: nb)
    let aT = scan.transposed(A.value), skip = scan.vectors(D.value)
    let (uv, dv, bv, cv) = (u.value, delta.value, B.value, C.value)
    let keepStates = u.tape.isRecording
    var checkpoints = [SIMD8<Float>](repeating: .zero, count: keepStates ? nb * scan.chunks * scan.stateVectors : 0)
    var y = Tensor(zeros: positions == nil ? shape : [nb, nd])

    uv.withUnsafeBufferPointer { up in dv.withUnsafeBufferPointer { dp in bv.withUnsafeBufferPointer { bp in
    cv.withUnsafeBufferPointer { cp in skip.withUnsafeBufferPointer { sp in aT.withUnsafeBufferPointer { ap in
    checkpoints.withUnsafeMutableBufferPointer { kp in y.withUnsafeMutableBufferPointer { yp in
        // One piece per sequence: sequences are independent here, and lengths vary under `positions`.
        ParallelPieces.forEach(nb) { b in
            let h = ScanScratch(scan.stateVectors), row = ScanRow(scan)
            for t in 0..<steps[b] {
                let bt = b * nt + t
                if keepStates && t % scan.chunk == 0 {
                    (kp.baseAddress! + (b * scan.chunks + t / scan.chunk) * scan.stateVectors)
                        .update(from: h.base, count: scan.stateVectors)
                }
                row.load(x: up.baseAddress! + bt * nd, delta: dp.baseAddress! + bt * nd)
                let (dt, dtx, out) = (row.delta, row.deltaX, row.output)
                if positions == nil || t == steps[b] - 1 {
                    row.clearOutput()
                    for n in 0..<ns {
                        let bn = SIMD8<Float>(repeating: bp[bt * ns + n]), cn = SIMD8<Float>(repeating: cp[bt * ns + n])
                        let hn = h.base + n * scan.lanes, an = ap.baseAddress! + n * scan.lanes
                        for v in 0..<scan.lanes {
                            let state = FastMath.exp(dt[v] * an[v]) * hn[v] + dtx[v] * bn
                            hn[v] = state
                            out[v] += cn * state
                        }
                    }
                    row.store(output: yp.baseAddress! + (positions == nil ? bt : b) * nd, skip: sp.baseAddress!)
                } else {
                    // A step before the wanted one: only the state moves on.
                    for n in 0..<ns {
                        let bn = SIMD8<Float>(repeating: bp[bt * ns + n])
                        let hn = h.base + n * scan.lanes, an = ap.baseAddress! + n * scan.lanes
                        for v in 0..<scan.lanes { hn[v] = FastMath.exp(dt[v] * an[v]) * hn[v] + dtx[v] * bn }
                    }
                }
            }
        }
    }}}}}}}}

    return u.tape.record(y, inputs: [u, delta, A, B, C, D]) { tape, g in
        var du = Tensor(zeros: shape), dDelta = Tensor(zeros: shape)
        var dB = Tensor(zeros: [nb, nt, ns]), dC = Tensor(zeros: [nb, nt, ns])
        // Per-piece sums of dA (as [N, D] vectors) and dD, added in piece order below.
        var dAPieces = [SIMD8<Float>](repeating: .zero, count: scan.pieces * scan.stateVectors)
        var dDPieces = [SIMD8<Float>](repeating: .zero, count: scan.pieces * scan.lanes)
        g.withUnsafeBufferPointer { gp in checkpoints.withUnsafeBufferPointer { kp in
        uv.withUnsafeBufferPointer { up in dv.withUnsafeBufferPointer { dp in aT.withUnsafeBufferPointer { ap in
        bv.withUnsafeBufferPointer { bp in cv.withUnsafeBufferPointer { cp in skip.withUnsafeBufferPointer { sp in
        du.withUnsafeMutableBufferPointer { dup in dDelta.withUnsafeMutableBufferPointer { ddp in
        dB.withUnsafeMutableBufferPointer { dbp in dC.withUnsafeMutableBufferPointer { dcp in
        dAPieces.withUnsafeMutableBufferPointer { dap in dDPieces.withUnsafeMutableBufferPointer { dsp in
            ParallelPieces.forEach(scan.pieces) { piece in
                let states = ScanScratch(scan.chunk * scan.stateVectors, zeroed: false)
                let decays = ScanScratch(scan.chunk * scan.stateVectors, zeroed: false)
                let adjoint = ScanScratch(scan.stateVectors), row = ScanRow(scan)
                let gb = ScanScratch(scan.lanes), gdt = ScanScratch(scan.lanes), gy = ScanScratch(scan.lanes)
                let dA = dap.baseAddress! + piece * scan.stateVectors, dD = dsp.baseAddress! + piece * scan.lanes
                for b in scan.sequences(of: piece) {
                    adjoint.clear()
                    for c in stride(from: (steps[b] - 1) / scan.chunk, through: 0, by: -1) {
                        let t0 = c * scan.chunk, t1 = min(steps[b], t0 + scan.chunk)
                        let start = kp.baseAddress! + (b * scan.chunks + c) * scan.stateVectors
                        // The chunk's states h_t and decays exp(Δ_t A), from its first state.
                        for t in t0..<t1 {
                            let bt = b * nt + t
                            row.load(x: up.baseAddress! + bt * nd, delta: dp.baseAddress! + bt * nd)
                            let prev = t == t0 ? start : UnsafePointer(states.base + (t - t0 - 1) * scan.stateVectors)
                            let h = states.base + (t - t0) * scan.stateVectors, e = decays.base + (t - t0) * scan.stateVectors
                            let (dt, dtx) = (row.delta, row.deltaX)
                            for n in 0..<ns {
                                let bn = SIMD8<Float>(repeating: bp[bt * ns + n])
                                let an = ap.baseAddress! + n * scan.lanes, o = n * scan.lanes
                                for v in 0..<scan.lanes {
                                    let decay = FastMath.exp(dt[v] * an[v])
                                    e[o + v] = decay
                                    h[o + v] = decay * prev[o + v] + dtx[v] * bn
                                }
                            }
                        }
                        for t in stride(from: t1 - 1, through: t0, by: -1) {
                            let bt = b * nt + t
                            row.load(x: up.baseAddress! + bt * nd, delta: dp.baseAddress! + bt * nd)
                            if positions == nil {
                                ScanRow.load(gp.baseAddress! + bt * nd, into: gy.base, count: nd)
                            } else if t == steps[b] - 1 {
                                ScanRow.load(gp.baseAddress! + b * nd, into: gy.base, count: nd)
                            } else {
                                gy.clear()
                            }
                            gb.clear()
                            gdt.clear()
                            let prev = t == t0 ? start : UnsafePointer(states.base + (t - t0 - 1) * scan.stateVectors)
                            let h = states.base + (t - t0) * scan.stateVectors, e = decays.base + (t - t0) * scan.stateVectors
                            let (x, dt, dtx, dy, sumB, sumDt) = (row.x, row.delta, row.deltaX, gy.base, gb.base, gdt.base)
                            for n in 0..<ns {
                                let bn = SIMD8<Float>(repeating: bp[bt * ns + n]), cn = SIMD8<Float>(repeating: cp[bt * ns + n])
                                let an = ap.baseAddress! + n * scan.lanes, o = n * scan.lanes
                                let adj = adjoint.base + o, dAn = dA + o
                                var dc = SIMD8<Float>.zero, db = SIMD8<Float>.zero
                                for v in 0..<scan.lanes {
                                    let gh = adj[v] + dy[v] * cn
                                    dc += dy[v] * h[o + v]
                                    db += gh * dtx[v]
                                    sumB[v] += gh * bn
                                    let carried = e[o + v] * prev[o + v]
                                    sumDt[v] += gh * (bn * x[v] + an[v] * carried)
                                    dAn[v] += gh * dt[v] * carried
                                    adj[v] = gh * e[o + v]
                                }
                                dcp[bt * ns + n] = dc.sum()
                                dbp[bt * ns + n] = db.sum()
                            }
                            // du_t = dy_t D + Δ_t Σ_n ḡ B_t;  dD += dy_t u_t.
                            for v in 0..<scan.lanes {
                                dD[v] += dy[v] * x[v]
                                sumB[v] = dy[v] * sp[v] + dt[v] * sumB[v]
                            }
                            ScanRow.store(gb.base, to: dup.baseAddress! + bt * nd, count: nd)
                            ScanRow.store(gdt.base, to: ddp.baseAddress! + bt * nd, count: nd)
                        }
                    }
                }
            }
        }}}}}}}}}}}}}}
        tape.accumulate(u, du)
        tape.accumulate(delta, dDelta)
        tape.accumulate(A, scan.summedA(dAPieces))
        tape.accumulate(B, dB)
        tape.accumulate(C, dC)
        tape.accumulate(D, scan.summedD(dDPieces))
    }
}

/// How `selectiveScan` cuts its work: channels in `lanes` SIMD8 vectors (the last padded with
/// zeros), sequences in `pieces` blocks, time in chunks of `chunk` steps.
private struct ScanLayout {
    let batch: Int, channels: Int, state: Int
    let lanes: Int, pieces: Int, chunk: Int, chunks: Int

    init(batch: Int, time: Int, channels: Int, state: Int, chunk: Int?) {
        (self.batch, self.channels, self.state) = (batch, channels, state)
        lanes = (channels + 7) / 8
        // Enough blocks to balance two to a few threads; each block adds one [N, D] sum of dA.
        pieces = min(batch, 16)
        // A chunk's states and decays together fill about 512 KiB (the L2 cache of the machines
        // this runs on), and never exceed the sequence.
        self.chunk = max(1, min(time, chunk ?? (512 << 10) / max(1, 2 * state * lanes * MemoryLayout<SIMD8<Float>>.stride)))
        chunks = (time + self.chunk - 1) / self.chunk
    }

    var stateVectors: Int { state * lanes }

    func sequences(of piece: Int) -> Range<Int> {
        (piece * batch / pieces)..<((piece + 1) * batch / pieces)
    }

    /// A `[D, N]` as `[N, lanes]` vectors, padded channels 0 (so their decay is 1 and their state stays 0).
    func transposed(_ a: Tensor) -> [SIMD8<Float>] {
        var out = [SIMD8<Float>](repeating: .zero, count: stateVectors)
        a.withUnsafeBufferPointer { ap in
            for d in 0..<channels { for n in 0..<state { out[n * lanes + d / 8][d % 8] = ap[d * state + n] } }
        }
        return out
    }

    /// `[D]` as `lanes` vectors, padded with 0.
    func vectors(_ v: Tensor) -> [SIMD8<Float>] {
        var out = [SIMD8<Float>](repeating: .zero, count: lanes)
        v.withUnsafeBufferPointer { p in for d in 0..<channels { out[d / 8][d % 8] = p[d] } }
        return out
    }

    /// dA `[D, N]`: the pieces' `[N, lanes]` sums added in piece order.
    func summedA(_ pieces: [SIMD8<Float>]) -> Tensor {
        var out = Tensor(zeros: [channels, state])
        out.withUnsafeMutableBufferPointer { op in
            for p in 0..<self.pieces { for d in 0..<channels { for n in 0..<state {
                op[d * state + n] += pieces[p * stateVectors + n * lanes + d / 8][d % 8]
            }}}
        }
        return out
    }

    /// dD `[D]`: the pieces' sums added in piece order.
    func summedD(_ pieces: [SIMD8<Float>]) -> Tensor {
        var out = Tensor(zeros: [channels])
        out.withUnsafeMutableBufferPointer { op in
            for p in 0..<self.pieces { for d in 0..<channels { op[d] += pieces[p * lanes + d / 8][d % 8] } }
        }
        return out
    }
}

/// A 32-byte aligned buffer of SIMD8 vectors owned by one piece of the scan; zeroed unless every
/// element is written before it is read (a chunk's states and decays, half a megabyte each time).
private final class ScanScratch {
    let base: UnsafeMutablePointer<SIMD8<Float>>
    let count: Int

    init(_ count: Int, zeroed: Bool = true) {
        self.count = count
        base = .allocate(capacity: count)
        if zeroed { base.initialize(repeating: .zero, count: count) }
    }

    deinit { base.deallocate() }

    func clear() { base.update(repeating: .zero, count: count) }
}

/// One time step's per-channel inputs as vectors: x = u_t, Δ_t, Δ_t·u_t, and the output y_t being summed.
private final class ScanRow {
    let lanes: Int, channels: Int
    let x: UnsafeMutablePointer<SIMD8<Float>>, delta: UnsafeMutablePointer<SIMD8<Float>>
    let deltaX: UnsafeMutablePointer<SIMD8<Float>>, output: UnsafeMutablePointer<SIMD8<Float>>

    init(_ layout: ScanLayout) {
        lanes = layout.lanes
        channels = layout.channels
        let all = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: 4 * lanes)
        all.initialize(repeating: .zero, count: 4 * lanes)
        (x, delta, deltaX, output) = (all, all + lanes, all + 2 * lanes, all + 3 * lanes)
    }

    deinit { x.deallocate() }

    func load(x source: UnsafePointer<Float>, delta deltaSource: UnsafePointer<Float>) {
        Self.load(source, into: x, count: channels)
        Self.load(deltaSource, into: delta, count: channels)
        for v in 0..<lanes { deltaX[v] = delta[v] * x[v] }
    }

    func clearOutput() { output.update(repeating: .zero, count: lanes) }

    /// y_t = Σ_n C_t h_t + D u_t, written to the first `channels` floats of `target`.
    func store(output target: UnsafeMutablePointer<Float>, skip: UnsafePointer<SIMD8<Float>>) {
        for v in 0..<lanes { output[v] = output[v] + skip[v] * x[v] }
        Self.store(output, to: target, count: channels)
    }

    static func load(_ source: UnsafePointer<Float>, into target: UnsafeMutablePointer<SIMD8<Float>>, count: Int) {
        UnsafeMutableRawPointer(target).withMemoryRebound(to: Float.self, capacity: count) { $0.update(from: source, count: count) }
    }

    static func store(_ source: UnsafeMutablePointer<SIMD8<Float>>, to target: UnsafeMutablePointer<Float>, count: Int) {
        UnsafeMutableRawPointer(source).withMemoryRebound(to: Float.self, capacity: count) { target.update(from: $0, count: count) }
    }
}
