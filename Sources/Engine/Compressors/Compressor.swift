/// A communication compressor C: ℝᵈ → ℝᵈ, as used between workers or pipeline stages.
///
/// `compress` returns the vector the receiver reconstructs (dense, same length) and the number of
/// bits the message would take on the wire, so experiments can plot quality against bits sent.
/// Randomised compressors draw from the caller's generator.
public protocol Compressor {
    /// Writes C(x) into `output` (same count as `input`); returns the message size in bits.
    mutating func compress(_ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>, rng: inout RNG) -> Int
}

extension Compressor {
    /// C(x) as a new tensor, with its size in bits.
    public mutating func compress(_ x: Tensor, rng: inout RNG) -> (value: Tensor, bits: Int) {
        var out = Tensor(zeros: x.shape)
        let bits = x.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { compress(input, into: $0, rng: &rng) }
        }
        return (out, bits)
    }
}

/// Bits to address one of d coordinates: ⌈log₂ d⌉ (at least 1).
@inlinable
public func indexBits(dimension d: Int) -> Int {
    d <= 2 ? 1 : Int.bitWidth - (d - 1).leadingZeroBitCount
}
