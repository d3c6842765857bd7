/// Error feedback on a boundary (Seide et al. 2014; Karimireddy et al. 2019):
///     p = x + e,   c = C(p),   e ← p − c;   the receiver gets c.
/// What C drops is not lost but sent later. The buffer e has the batch's shape and belongs to the
/// boundary, as in the official code of Rudakov et al.: the residual of batch t is added to the
/// same positions of batch t + 1 (other samples), which is why EF on activations acts as noise
/// that the next stage learns to tolerate rather than as an exact correction.
public struct BoundaryErrorFeedback {
    /// e, zero before the first message (and again whenever the batch shape changes).
    public private(set) var error = Tensor(zeros: [0])

    public init() {}

    public mutating func send(_ x: Tensor, through compressor: inout any BoundaryCompressor) -> (received: Tensor, bits: Int) {
        if error.shape != x.shape { error = Tensor(zeros: x.shape) }
        var corrected = Tensor(overwriting: x.shape), received = Tensor(overwriting: x.shape)
        let bits = x.withUnsafeBufferPointer { xp in
            error.withUnsafeMutableBufferPointer { e in
                corrected.withUnsafeMutableBufferPointer { p in
                    for i in 0..<xp.count { p[i] = xp[i] + e[i] }
                    return received.withUnsafeMutableBufferPointer { c in
                        let bits = compressor.compress(UnsafeBufferPointer(p), shape: x.shape, into: c)
                        for i in 0..<xp.count { e[i] = p[i] - c[i] }
                        return bits
                    }
                }
            }
        }
        return (received, bits)
    }
}
