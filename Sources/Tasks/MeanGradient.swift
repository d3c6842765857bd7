import Engine

extension ParameterStore {
    /// g = Σ_b (|b| / n)·∇L_b over the items 0..<n taken in consecutive batches b of `batch`: the
    /// gradient of the whole set that minibatch gradients scatter around (the heavy-tailed paper's
    /// reference for ‖g_b − g‖). `gradient(b)` leaves ∇L_b in `grads`, which then hold the last batch's.
    public func meanGradient(items n: Int, batch: Int, gradient: (Range<Int>) -> Void) -> [Float] {
        var mean = [Float](repeating: 0, count: count)
        for start in stride(from: 0, to: n, by: batch) {
            let items = start..<min(start + batch, n)
            gradient(items)
            let weight = Float(items.count) / Float(n)
            grads.withUnsafeBufferPointer { g in
                mean.withUnsafeMutableBufferPointer { BLAS.axpy(g.count, alpha: weight, x: g.baseAddress!, y: $0.baseAddress!) }
            }
        }
        return mean
    }
}
