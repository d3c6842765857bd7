extension Var {
    /// Columns `range` of the last axis: `[..., n] -> [..., range.count]` (how a fused projection
    /// such as attention's q|k|v or Mamba's x|z is split). Backward writes into those columns.
    public func slice(lastAxis range: Range<Int>) -> Var {
        let n = shape.last!
        precondition(range.lowerBound >= 0 && range.upperBound <= n,
                     "slice(lastAxis: \(range)) outside 0..<\(n) of shape \(shape)")
        let w = range.count, rows = value.count / max(n, 1), start = range.lowerBound
        var out = Tensor(zeros: Array(shape.dropLast()) + [w])
        value.withUnsafeBufferPointer { x in out.withUnsafeMutableBufferPointer { y in
            for r in 0..<rows {
                (y.baseAddress! + r * w).update(from: x.baseAddress! + r * n + start, count: w)
            }
        }}
        return tape.record(out, inputs: [self]) { tape, g in
            tape.accumulate(self) { dx in g.withUnsafeBufferPointer { gp in
                for r in 0..<rows {
                    let d = dx.baseAddress! + r * n + start, s = gp.baseAddress! + r * w
                    for j in 0..<w { d[j] += s[j] }
                }
            }}
        }
    }
}
