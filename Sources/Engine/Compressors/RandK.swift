/// RandK sparsification: keep k coordinates chosen uniformly without replacement, scaled by d/k so
/// that E[C(x)] = x (unbiased, variance factor d/k − 1). Message: k values (32 bits); the indices
/// come from a seed both sides share, so they cost nothing beyond the 64-bit seed.
public struct RandK: Compressor {
    public let k: Int
    private var chosen: [Int] = []

    public init(k: Int) {
        precondition(k >= 1, "RandK needs k ≥ 1, got \(k)")
        self.k = k
    }

    public mutating func compress(_ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>, rng: inout RNG) -> Int {
        let d = input.count, k = Swift.min(self.k, d)
        if chosen.count != d { chosen = Array(0..<d) } else { for i in 0..<d { chosen[i] = i } }
        // Partial Fisher–Yates: the first k slots become a uniform k-subset.
        for i in 0..<k { chosen.swapAt(i, i + rng.int(below: d - i)) }
        let scale = Float(d) / Float(k)
        for i in 0..<d { output[i] = 0 }
        for r in 0..<k { let i = chosen[r]; output[i] = scale * input[i] }
        return 32 * k + 64
    }
}
