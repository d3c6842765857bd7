/// Uniform b-bit quantization between the tensor's minimum and maximum, rounded to the nearest of
/// the 2^b levels, as the official ResNet code of Rudakov et al. (arXiv:2401.07788) quantizes a
/// whole batch:  q = min + round((x − min)/(max − min)·(2^b − 1))·(max − min)/(2^b − 1).
///
/// Message: b bits per entry plus min and max as float32.
public struct MinMaxQuantization: BoundaryCompressor {
    public let bits: Int

    public init(bits: Int) {
        precondition((1...16).contains(bits), "MinMaxQuantization needs 1…16 bits, got \(bits)")
        self.bits = bits
    }

    public mutating func compress(_ x: UnsafeBufferPointer<Float>, shape: [Int], into output: UnsafeMutableBufferPointer<Float>) -> Int {
        var low = Float.infinity, high = -Float.infinity
        for v in x { low = min(low, v); high = max(high, v) }
        let steps = Float((1 << bits) - 1)
        let width = high - low
        if width > 0 {
            let step = width / steps
            for i in 0..<x.count { output[i] = low + ((x[i] - low) / width * steps).rounded() * step }
        } else {
            for i in 0..<x.count { output[i] = x[i] }
        }
        return bits * x.count + 64
    }
}
