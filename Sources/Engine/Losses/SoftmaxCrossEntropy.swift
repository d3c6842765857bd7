import Foundation

/// Mean softmax cross-entropy of `logits` `[..., V]` against integer `targets` (one per row).
///
/// Fused: the forward keeps the softmax, and the backward is (softmax − onehot)/n, which is both
/// cheaper and more stable than differentiating log(softmax) through the tape. Rows whose target is
/// `ignoreIndex` contribute nothing and are not counted in the mean (padding in sequence models).
public func softmaxCrossEntropy(_ logits: Var, targets: [Int], ignoreIndex: Int? = nil) -> Var {
    let v = logits.shape.last!
    let rows = logits.value.count / v
    precondition(targets.count == rows, "softmaxCrossEntropy: \(rows) rows of logits but \(targets.count) targets")
    var probs = Tensor(overwriting: [rows, v])
    // Per-row losses, summed in row order afterwards, so the total does not depend on threads.
    var losses = [Double](repeating: 0, count: rows)
    for t in targets where t != ignoreIndex {
        precondition(t >= 0 && t < v, "softmaxCrossEntropy: target \(t) outside 0..<\(v)")
    }
    logits.value.withUnsafeBufferPointer { x in probs.withUnsafeMutableBufferPointer { p in losses.withUnsafeMutableBufferPointer { l in
        let (x, p, l) = (x.baseAddress!, p.baseAddress!, l.baseAddress!)
        ParallelRows.forEach(rows, rowLength: v) { range in
            for r in range {
                let row = x + r * v, out = p + r * v
                let m = RowKernels.max(row, v)
                for j in 0..<v { out[j] = FastMath.exp(row[j] - m) }
                // A sequential sum, as this loss always had: a reordered (SIMD) sum changes the
                // language-model runs of every paper in their last bits and so every stored result;
                // the large-vocabulary path (`projectedSoftmaxCrossEntropy`) uses `RowKernels.sum`.
                var z: Float = 0
                for j in 0..<v { z += out[j] }
                let inv = 1 / z
                for j in 0..<v { out[j] *= inv }
                let t = targets[r]
                if t != ignoreIndex { l[r] = Double(m + Foundation.log(z) - row[t]) }
            }
        }
    }}}
    var total: Double = 0
    var counted = 0
    for r in 0..<rows where targets[r] != ignoreIndex {
        total += losses[r]
        counted += 1
    }
    let n = Float(max(counted, 1))
    return logits.tape.record(Tensor(scalar: Float(total) / n), inputs: [logits]) { tape, g in
        let scale = g.item / n
        tape.accumulate(logits) { dx in probs.withUnsafeBufferPointer { p in
            let (dx, p) = (dx.baseAddress!, p.baseAddress!)
            ParallelRows.forEach(rows, rowLength: v) { range in
                for r in range {
                    let t = targets[r]
                    if t == ignoreIndex { continue }
                    let base = r * v
                    for j in 0..<v { dx[base + j] += scale * p[base + j] }
                    dx[base + t] -= scale
                }
            }
        }}
    }
}
