import Foundation

/// Mean softmax cross-entropy of the logits h·Wᵀ (`hidden` `[n, d]`, `table` `[V, d]`) against
/// `targets`, without ever holding the `[n, V]` logits (see `projectedSoftmaxLoss`): the same value
/// and gradients as `softmaxCrossEntropy(matmul(hidden, table, transposeB: true), targets:)`.
/// Each row becomes its gradient (p − onehot)/n in place.
public func projectedSoftmaxCrossEntropy(_ hidden: Var, table: Var, targets: [Int], ignoreIndex: Int? = nil,
                                         blockRows: Int = 256) -> Var {
    let v = table.shape[0]
    precondition(targets.count == hidden.shape[0], "projectedSoftmaxCrossEntropy: \(hidden.shape[0]) rows but \(targets.count) targets")
    for t in targets where t != ignoreIndex {
        precondition(t >= 0 && t < v, "projectedSoftmaxCrossEntropy: target \(t) outside 0..<\(v)")
    }
    let counted = targets.reduce(0) { $0 + ($1 == ignoreIndex ? 0 : 1) }
    let invN = 1 / Float(max(counted, 1))
    return projectedSoftmaxLoss(hidden, table: table, blockRows: blockRows, scale: invN, name: "projectedSoftmaxCrossEntropy") { r, row, v in
        let t = targets[r]
        if t == ignoreIndex { row.update(repeating: 0, count: v); return 0 }
        let m = RowKernels.max(row, v)
        let target = row[t]
        for j in 0..<v { row[j] = FastMath.exp(row[j] - m) }
        let z = RowKernels.sum(row, v)
        let scale = invN / z
        for j in 0..<v { row[j] *= scale }
        row[t] -= invN
        return Double(m + Foundation.log(z) - target)
    }
}
