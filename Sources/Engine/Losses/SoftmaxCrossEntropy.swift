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
    var total: Double = 0
    var counted = 0
    logits.value.withUnsafeBufferPointer { x in probs.withUnsafeMutableBufferPointer { p in
        for r in 0..<rows {
            let row = x.baseAddress! + r * v, out = p.baseAddress! + r * v
            var m = -Float.infinity
            for j in 0..<v { m = max(m, row[j]) }
            var z: Float = 0
            for j in 0..<v { let e = FastMath.exp(row[j] - m); out[j] = e; z += e }
            let inv = 1 / z
            for j in 0..<v { out[j] *= inv }
            let t = targets[r]
            if t == ignoreIndex { continue }
            precondition(t >= 0 && t < v, "softmaxCrossEntropy: target \(t) outside 0..<\(v)")
            total += Double(m + Foundation.log(z) - row[t])
            counted += 1
        }
    }}
    let n = Float(max(counted, 1))
    return logits.tape.record(Tensor(scalar: Float(total) / n), inputs: [logits]) { tape, g in
        let scale = g.item / n
        tape.accumulate(logits) { dx in probs.withUnsafeBufferPointer { p in
            for r in 0..<rows {
                let t = targets[r]
                if t == ignoreIndex { continue }
                let base = r * v
                for j in 0..<v { dx[base + j] += scale * p[base + j] }
                dx[base + t] -= scale
            }
        }}
    }
}
