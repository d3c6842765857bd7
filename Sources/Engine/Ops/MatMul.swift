extension Var {
    /// Reshape (shares storage; the gradient is reshaped back).
    public func reshaped(_ shape: [Int]) -> Var {
        let original = self.shape
        return tape.record(value.reshaped(shape), inputs: [self]) { tape, g in
            tape.accumulate(self, g.reshaped(original))
        }
    }
}

/// Matrix product of the last two dimensions (see `Tensor.matmul` for the accepted shapes).
/// Backward: dA = dC·Bᵀ, dB = Aᵀ·dC (with the transposes folded into the GEMM flags).
public func matmul(_ a: Var, _ b: Var, transposeA: Bool = false, transposeB: Bool = false) -> Var {
    let (va, vb) = (a.value, b.value)
    let c = Tensor.matmul(va, vb, transposeA: transposeA, transposeB: transposeB)
    return a.tape.record(c, inputs: [a, b]) { tape, g in
        if tape.requiresGrad(a) {
            let da = transposeA
                ? Tensor.matmul(vb, g, transposeA: transposeB, transposeB: true)
                : Tensor.matmul(g, vb, transposeA: false, transposeB: !transposeB)
            tape.accumulate(a, da)
        }
        if tape.requiresGrad(b) {
            let db: Tensor
            if vb.rank == 2 && va.rank > 2 {
                // The batch of A folded into rows: dB = Σ over rows, one GEMM on the flattened views.
                let a2 = va.reshaped([-1, va.shape[va.rank - 1]]), g2 = g.reshaped([-1, g.shape[g.rank - 1]])
                db = transposeB ? Tensor.matmul(g2, a2, transposeA: true) : Tensor.matmul(a2, g2, transposeA: true)
            } else {
                db = transposeB
                    ? Tensor.matmul(g, va, transposeA: true, transposeB: transposeA)
                    : Tensor.matmul(va, g, transposeA: !transposeA, transposeB: false)
            }
            tape.accumulate(b, db)
        }
    }
}
