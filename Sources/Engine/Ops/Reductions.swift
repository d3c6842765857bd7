extension Var {
    /// Sum of all elements, a scalar.
    public func sum() -> Var {
        let s = value.withUnsafeBufferPointer { p in p.reduce(Float(0), +) }
        let shape = self.shape
        return tape.record(Tensor(scalar: s), inputs: [self]) { tape, g in
            tape.accumulate(self, Tensor(shape: shape, repeating: g.item))
        }
    }

    /// Mean of all elements, a scalar.
    public func mean() -> Var { sum() * (1 / Float(value.count)) }

    /// Sum over the last dimension: `[..., n] -> [...]`.
    public func sumLastAxis() -> Var {
        let shape = self.shape, n = shape.last!
        var out = Tensor(zeros: Array(shape.dropLast()))
        value.withUnsafeBufferPointer { x in out.withUnsafeMutableBufferPointer { o in
            for r in 0..<o.count { var s: Float = 0; for j in 0..<n { s += x[r * n + j] }; o[r] = s }
        }}
        return tape.record(out, inputs: [self]) { tape, g in
            tape.accumulate(self) { dx in g.withUnsafeBufferPointer { gp in
                for r in 0..<gp.count { for j in 0..<n { dx[r * n + j] += gp[r] } }
            }}
        }
    }
}
