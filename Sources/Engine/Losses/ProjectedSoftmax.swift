/// The blocked driver behind the losses over a large output table (`projectedSoftmaxCrossEntropy`,
/// `projectedORPOLoss`): a loss of the logits s = h·Wᵀ (`hidden` `[n, d]`, `table` `[V, d]`) whose
/// gradient ∂L/∂s is computed row by row, never holding the `[n, V]` logits.
///
/// With V in the tens of thousands (a recommender's item table) the logits of a batch are
/// gigabytes, and writing, re-reading and differentiating them dominates a step. Here the rows go
/// through in blocks of `blockRows`: one GEMM gives a block's logits, `row` turns each row in place
/// into ∂L/∂s of that row and returns the row's loss term, and two more GEMMs fold the block into
/// ∂L/∂h and ∂L/∂W, all in the forward pass. The backward then only scales those by the incoming
/// gradient (the loss is a scalar, so its gradients are linear in it). Blocks are processed in
/// order and the rows of a block independently of how they are split over threads; the GEMMs are
/// OpenBLAS's.
///
/// Returns the sum of the rows' loss terms (in row order) times `scale`, recorded on the tape.
func projectedSoftmaxLoss(_ hidden: Var, table: Var, blockRows: Int, scale: Float, name: String,
                          row: (_ index: Int, _ logits: UnsafeMutablePointer<Float>, _ v: Int) -> Double) -> Var {
    precondition(hidden.shape.count == 2 && table.shape.count == 2 && hidden.shape[1] == table.shape[1],
                 "\(name): hidden \(hidden.shape) must be [n, d] and table \(table.shape) [V, d]")
    let (rows, d, v) = (hidden.shape[0], hidden.shape[1], table.shape[0])
    let differentiate = hidden.tape.isRecording && (hidden.tape.requiresGrad(hidden) || hidden.tape.requiresGrad(table))
    var dHidden = Tensor(zeros: differentiate ? [rows, d] : [0])
    var dTable = Tensor(zeros: differentiate ? [v, d] : [0])
    var block = Tensor(overwriting: [min(blockRows, max(rows, 1)), v])
    var losses = [Double](repeating: 0, count: rows)

    hidden.value.withUnsafeBufferPointer { hp in table.value.withUnsafeBufferPointer { wp in
    block.withUnsafeMutableBufferPointer { bp in losses.withUnsafeMutableBufferPointer { lp in
    dHidden.withUnsafeMutableBufferPointer { dhp in dTable.withUnsafeMutableBufferPointer { dwp in
        let (h, w, b, l) = (hp.baseAddress!, wp.baseAddress!, bp.baseAddress!, lp.baseAddress!)
        for start in stride(from: 0, to: rows, by: blockRows) {
            let count = min(blockRows, rows - start)
            BLAS.gemm(transposeA: false, transposeB: true, m: count, n: v, k: d,
                      a: h + start * d, lda: d, b: w, ldb: d, c: b, ldc: v)
            ParallelRows.forEach(count, rowLength: v) { range in
                for r in range { l[start + r] = row(start + r, b + r * v, v) }
            }
            guard differentiate else { continue }
            // ∂L/∂h_block = G·W and ∂L/∂W += Gᵀ·h_block, with G the block's ∂L/∂s.
            BLAS.gemm(transposeA: false, transposeB: false, m: count, n: d, k: v,
                      a: b, lda: v, b: w, ldb: d, c: dhp.baseAddress! + start * d, ldc: d)
            BLAS.gemm(transposeA: true, transposeB: false, m: v, n: d, k: count,
                      a: b, lda: v, b: h + start * d, ldb: d, beta: 1, c: dwp.baseAddress!, ldc: d)
        }
    }}}}}}
    var total: Double = 0
    for r in 0..<rows { total += losses[r] }
    return hidden.tape.record(Tensor(scalar: Float(total) * scale), inputs: [hidden, table]) { tape, g in
        let scale = g.item
        tape.accumulate(hidden, scale == 1 ? dHidden : dHidden.map { $0 * scale })
        tape.accumulate(table, scale == 1 ? dTable : dTable.map { $0 * scale })
    }
}
