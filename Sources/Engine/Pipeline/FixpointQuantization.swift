/// AC-SGD's fixed-point quantizer (Wang et al., arXiv:2206.01299; `compress/fixpoint.py` of the
/// official code): one scale per channel (the last axis), the largest magnitude of that channel
/// over every other axis; then with f = b − 1
///     code = clip(round(x / s · 2^f), −2^f, 2^f − 1),   x̂ = code / 2^f · s.
/// The grid is lopsided by one level (the largest positive value clips to (1 − 2^−f)·s), as there.
///
/// Message: b bits per entry plus one scale per channel. AC-SGD sends the scales as float16; here
/// they stay float32 and are counted as 32 bits.
public struct FixpointQuantization: BoundaryCompressor {
    public let bits: Int
    private var scales: [Float] = []

    public init(bits: Int) {
        precondition((1...16).contains(bits), "FixpointQuantization needs 1…16 bits, got \(bits)")
        self.bits = bits
    }

    public mutating func compress(_ x: UnsafeBufferPointer<Float>, shape: [Int], into output: UnsafeMutableBufferPointer<Float>) -> Int {
        let channels = shape.last ?? 1, rows = x.count / max(channels, 1)
        if scales.count != channels { scales = [Float](repeating: 0, count: channels) }
        let levels = Float(1 << (bits - 1))
        scales.withUnsafeMutableBufferPointer { s in
            for c in 0..<channels { s[c] = 0 }
            for r in 0..<rows { for c in 0..<channels { s[c] = max(s[c], abs(x[r * channels + c])) } }
            for r in 0..<rows {
                for c in 0..<channels {
                    let i = r * channels + c
                    // AC-SGD's 1e-6 keeps an all-zero channel at code 0 instead of 0/0.
                    let code = min(max((x[i] / (s[c] + 1e-6) * levels).rounded(), -levels), levels - 1)
                    output[i] = code / levels * s[c]
                }
            }
        }
        return bits * x.count + 32 * channels
    }
}
