import Engine

extension ParameterStore {
    /// g = Σ_b (|b| / n)·∇L_b over the items 0..<n taken in consecutive batches b of `batch`: the
    /// gradient of the whole set that minibatch gradients scatter around (the heavy-tailed paper's
    /// reference for ‖g_b − g‖). `gradient(b)` leaves ∇L_b in `grads`, which then hold the last batch's.
    /// When a batch's loss is a mean over examples that items hold unequally (a recommender's
    /// window holds several targets), `examples(b)` counts them and they weigh instead:
    /// g = Σ_b (m_b / Σ m)·∇L_b.
    public func meanGradient(items n: Int, batch: Int, examples: ((Range<Int>) -> Int)? = nil, gradient: (Range<Int>) -> Void) -> [Float] {
        let batches = stride(from: 0, to: n, by: batch).map { $0..<min($0 + batch, n) }
        let counts = batches.map { examples?($0) ?? $0.count }
        let total = Float(counts.reduce(0, +))
        var mean = [Float](repeating: 0, count: count)
        for (items, examples) in zip(batches, counts) {
            gradient(items)
            let weight = Float(examples) / total
            grads.withUnsafeBufferPointer { g in
                mean.withUnsafeMutableBufferPointer { BLAS.axpy(g.count, alpha: weight, x: g.baseAddress!, y: $0.baseAddress!) }
            }
        }
        return mean
    }
}
