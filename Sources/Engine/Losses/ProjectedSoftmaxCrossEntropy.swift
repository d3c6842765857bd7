import Foundation

/// Mean softmax cross-entropy of the logits h·Wᵀ (`hidden` `[n, d]`, `table` `[V, d]`) against
/// `targets`, without ever holding the `[n, V]` logits: the same value and gradients as
/// `softmaxCrossEntropy(matmul(hidden, table, transposeB: true), targets:)`.
///
/// With V in the tens of thousands (a recommender's item table) the logits of a batch are
/// gigabytes, and writing, re-reading and differentiating them dominates a step. Here the rows go
/// through in blocks of `blockRows`: one GEMM gives a block's logits, the softmax turns them in
/// place into the block's gradient (p − onehot)/n, and two more GEMMs fold it into ∂L/∂h and
/// ∂L/∂W, all in the forward pass. The backward then only scales those by the incoming gradient
/// (the loss is a scalar, so its gradients are linear in it). Blocks are processed in order and
/// the rows of a block independently of how they are split over threads; the GEMMs are OpenBLAS's.
public func projectedSoftmaxCrossEntropy(_ hidden: Var, table: Var, targets: [Int], ignoreIndex: Int? = nil,
                                         blockRows: Int = 256) -> Var {
    precondition(hidden.shape.count == 2 && table.shape.count == 2 && hidden.shape[1] == table.shape[1],
                 "projectedSoftmaxCrossEntropy: hidden \(hidden.shape) must be [n, d] and table \(table.shape) [V, d]")
    let (rows, d, v) = (hidden.shape[0], hidden.shape[1], table.shape[0])
    precondition(targets.count == rows, "projectedSoftmaxCrossEntropy: \(rows) rows but \(targets.count) targets")
    for t in targets where t != ignoreIndex {
        precondition(t >= 0 && t < v, "projectedSoftmaxCrossEntropy: target \(t) outside 0..<\(v)")
    }
    let counted = targets.reduce(0) { $0 + ($1 == ignoreIndex ? 0 : 1) }
    let invN = 1 / Float(max(counted, 1))
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
                for r in range {
                    let row = b + r * v, t = targets[start + r]
                    if t == ignoreIndex { row.update(repeating: 0, count: v); continue }
                    let m = RowKernels.max(row, v)
                    let target = row[t]
                    for j in 0..<v { row[j] = FastMath.exp(row[j] - m) }
                    let z = RowKernels.sum(row, v)
                    l[start + r] = Double(m + Foundation.log(z) - target)
                    let scale = invN / z
                    for j in 0..<v { row[j] *= scale }
                    row[t] -= invN
                }
            }
            guard differentiate else { continue }
            // ∂L/∂h_block = G·W and ∂L/∂W += Gᵀ·h_block, with G the block's (p − onehot)/n.
            BLAS.gemm(transposeA: false, transposeB: false, m: count, n: d, k: v,
                      a: b, lda: v, b: w, ldb: d, c: dhp.baseAddress! + start * d, ldc: d)
            BLAS.gemm(transposeA: true, transposeB: false, m: v, n: d, k: count,
                      a: b, lda: v, b: h + start * d, ldb: d, beta: 1, c: dwp.baseAddress!, ldc: d)
        }
    }}}}}}
    var total: Double = 0
    for r in 0..<rows where targets[r] != ignoreIndex { total += losses[r] }
    return hidden.tape.record(Tensor(scalar: Float(total) * invN), inputs: [hidden, table]) { tape, g in
        let scale = g.item
        tape.accumulate(hidden, scale == 1 ? dHidden : dHidden.map { $0 * scale })
        tape.accumulate(table, scale == 1 ? dTable : dTable.map { $0 * scale })
    }
}
