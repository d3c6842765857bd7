/// Concatenation along the last axis; all parts share the leading dimensions.
/// Backward hands each part its block of columns.
public func concatLastAxis(_ parts: [Var]) -> Var {
    precondition(!parts.isEmpty, "concatLastAxis needs at least one part")
    let lead = Array(parts[0].shape.dropLast())
    for p in parts {
        precondition(Array(p.shape.dropLast()) == lead,
                     "concatLastAxis: shape \(p.shape) does not share the leading dimensions \(lead)")
    }
    let widths = parts.map { $0.shape.last! }
    let n = widths.reduce(0, +), rows = lead.reduce(1, *)
    var out = Tensor(zeros: lead + [n])
    out.withUnsafeMutableBufferPointer { y in
        var start = 0
        for (p, w) in zip(parts, widths) {
            p.value.withUnsafeBufferPointer { x in
                for r in 0..<rows { (y.baseAddress! + r * n + start).update(from: x.baseAddress! + r * w, count: w) }
            }
            start += w
        }
    }
    return parts[0].tape.record(out, inputs: parts) { tape, g in
        var start = 0
        for (p, w) in zip(parts, widths) {
            let s0 = start
            tape.accumulate(p) { dx in g.withUnsafeBufferPointer { gp in
                for r in 0..<rows {
                    let d = dx.baseAddress! + r * w, s = gp.baseAddress! + r * n + s0
                    for j in 0..<w { d[j] += s[j] }
                }
            }}
            start += w
        }
    }
}
