/// EF21 on a boundary (Richtárik, Sokolov & Fatkhullin 2021): both sides hold an estimate A;
///     c = C(x − A),   A ← A + c;   the receiver uses A in place of x.
/// Only c is sent. Like EF's buffer, A has the batch's shape and belongs to the boundary.
public struct BoundaryEF21 {
    /// A, zero before the first message (and again whenever the batch shape changes).
    public private(set) var estimate = Tensor(zeros: [0])

    public init() {}

    public mutating func send(_ x: Tensor, through compressor: inout any BoundaryCompressor) -> (received: Tensor, bits: Int) {
        if estimate.shape != x.shape { estimate = Tensor(zeros: x.shape) }
        var difference = Tensor(overwriting: x.shape), correction = Tensor(overwriting: x.shape)
        let bits = x.withUnsafeBufferPointer { xp in
            estimate.withUnsafeMutableBufferPointer { a in
                difference.withUnsafeMutableBufferPointer { r in
                    for i in 0..<xp.count { r[i] = xp[i] - a[i] }
                    return correction.withUnsafeMutableBufferPointer { c in
                        let bits = compressor.compress(UnsafeBufferPointer(r), shape: x.shape, into: c)
                        for i in 0..<xp.count { a[i] += c[i] }
                        return bits
                    }
                }
            }
        }
        return (estimate, bits)
    }
}
