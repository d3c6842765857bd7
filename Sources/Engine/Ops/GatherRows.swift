/// Embedding lookup: row `ids[i]` of `table` `[V, D]` for each id, shaped `idShape + [D]`.
///
/// Ids equal to `paddingIndex` give a zero row and send no gradient to the table (PyTorch's
/// `padding_idx`, used by SASRec's left padding with item 0). Backward scatter-adds each output
/// row's gradient into its table row, so repeated ids accumulate.
public func gatherRows(_ table: Var, ids: [Int], shape idShape: [Int], paddingIndex: Int? = nil) -> Var {
    precondition(table.shape.count == 2, "gatherRows needs a [V, D] table, got \(table.shape)")
    precondition(idShape.reduce(1, *) == ids.count, "gatherRows: \(ids.count) ids do not fill shape \(idShape)")
    let (v, d) = (table.shape[0], table.shape[1])
    for id in ids where !(id >= 0 && id < v) {
        preconditionFailure("gatherRows: id \(id) outside the table's 0..<\(v) rows")
    }
    var out = Tensor(zeros: idShape + [d])
    table.value.withUnsafeBufferPointer { w in out.withUnsafeMutableBufferPointer { y in
        for (i, id) in ids.enumerated() where id != paddingIndex {
            (y.baseAddress! + i * d).update(from: w.baseAddress! + id * d, count: d)
        }
    }}
    return table.tape.record(out, inputs: [table]) { tape, g in
        tape.accumulate(table) { dw in g.withUnsafeBufferPointer { gp in
            for (i, id) in ids.enumerated() where id != paddingIndex {
                let dst = dw.baseAddress! + id * d, src = gp.baseAddress! + i * d
                for j in 0..<d { dst[j] += src[j] }
            }
        }}
    }
}
