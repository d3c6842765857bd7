/// TopK per sample: each sample's entries (one row of the batch) keep the ⌈K·D⌉ of largest
/// magnitude and the rest are zeroed, as the official code of Rudakov et al. (arXiv:2401.07788)
/// compresses activations and gradients between stages. Nothing is rescaled.
///
/// Message: per row, the kept non-zero values (32 bits) and their positions (⌈log₂ D⌉ bits). After
/// a ReLU many entries are exactly zero; a zero needs no message, so it is not counted even when it
/// ranks among the top K.
public struct PerSampleTopK: BoundaryCompressor {
    public let fraction: Double
    private var selector: TopK
    /// 1 where the last `compress` kept the entry, 0 where it dropped it.
    private var mask: [Float] = []

    public init(fraction: Double) {
        precondition(fraction > 0 && fraction <= 1, "PerSampleTopK needs a fraction in (0, 1], got \(fraction)")
        self.fraction = fraction
        selector = TopK(.fraction(fraction))
    }

    public mutating func compress(_ x: UnsafeBufferPointer<Float>, shape: [Int], into output: UnsafeMutableBufferPointer<Float>) -> Int {
        let rows = shape[0], d = x.count / max(rows, 1), k = selector.k(dimension: d)
        let perValue = 32 + indexBits(dimension: d)
        if mask.count != x.count { mask = [Float](repeating: 0, count: x.count) }
        var bits = 0
        mask.withUnsafeMutableBufferPointer { m in
            for i in 0..<x.count { output[i] = 0; m[i] = 0 }
            for r in 0..<rows {
                let row = UnsafeBufferPointer(rebasing: x[(r * d)..<((r + 1) * d)])
                selector.withLargest(row, k: k) { kept in
                    for j in kept {
                        let i = r * d + Int(j)
                        output[i] = x[i]
                        m[i] = 1
                        if x[i] != 0 { bits += perValue }
                    }
                }
            }
        }
        return bits
    }

    public func applyLastMask(to gradient: UnsafeMutableBufferPointer<Float>) -> Bool {
        precondition(mask.count == gradient.count, "PerSampleTopK: the gradient (\(gradient.count) entries) does not match the last activation (\(mask.count))")
        for i in 0..<gradient.count { gradient[i] *= mask[i] }
        return true
    }
}
