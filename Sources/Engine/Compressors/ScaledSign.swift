/// Scaled sign compression (Karimireddy et al. 2019): C(x) = (‖x‖₁/d)·sign(x). Biased; meant to be
/// used with error feedback. Message: one 32-bit scale plus 1 bit per coordinate.
public struct ScaledSign: Compressor {
    public init() {}

    public mutating func compress(_ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>, rng: inout RNG) -> Int {
        let d = input.count
        var l1: Float = 0
        for i in 0..<d { l1 += abs(input[i]) }
        let scale = d > 0 ? l1 / Float(d) : 0
        for i in 0..<d { output[i] = scale * Sign.of(input[i]) }
        return 32 + d
    }
}
