/// Unbiased b-bit stochastic quantization (QSGD-style, Alistarh et al. 2017, with s = 2^{b−1} − 1 levels).
///
/// With scale ‖x‖_∞ and s levels per sign, |x_i|/‖x‖_∞·s lies between levels l and l+1; it is rounded
/// up with probability equal to the fractional part, so E[C(x)] = x. Message: one 32-bit scale plus
/// b bits per coordinate (sign and level).
public struct StochasticQuantization: Compressor {
    public let bits: Int

    public init(bits: Int) {
        precondition((2...16).contains(bits), "StochasticQuantization needs 2 ≤ b ≤ 16 bits, got \(bits)")
        self.bits = bits
    }

    public var levels: Int { (1 << (bits - 1)) - 1 }

    public mutating func compress(_ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>, rng: inout RNG) -> Int {
        let d = input.count
        var scale: Float = 0
        for i in 0..<d { scale = Swift.max(scale, abs(input[i])) }
        let bitsSent = 32 + bits * d
        guard scale > 0 else {
            for i in 0..<d { output[i] = 0 }
            return bitsSent
        }
        let s = Float(levels)
        for i in 0..<d {
            let u = abs(input[i]) / scale * s
            let low = u.rounded(.down)
            let level = Float(rng.uniform()) < u - low ? low + 1 : low
            output[i] = Sign.of(input[i]) * level * scale / s
        }
        return bitsSent
    }
}
