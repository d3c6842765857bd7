/// EF21 (Richtárik, Sokolov & Fatkhullin 2021, Alg. 1): the receiver keeps an estimate g_t and the
/// sender transmits a compressed correction.
///
/// c_t = C(x_t − g_t),  g_{t+1} = g_t + c_t;  the receiver uses g_{t+1} in place of x_t. Both
/// sides hold g_t, so only c_t is sent; `compress` writes g_{t+1}.
public struct EF21<Inner: Compressor>: Compressor {
    public var inner: Inner
    /// g_t, the estimate both sides share (zero before the first message).
    public private(set) var estimate = Tensor(zeros: [0])
    private var difference = Tensor(zeros: [0])

    public init(_ inner: Inner) { self.inner = inner }

    /// Continues from an estimate saved earlier (a run's checkpoint).
    public mutating func restore(estimate saved: Tensor) {
        estimate = saved
        difference = Tensor(zeros: [saved.count])
    }

    public mutating func compress(_ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>, rng: inout RNG) -> Int {
        let d = input.count
        if estimate.count != d { estimate = Tensor(zeros: [d]); difference = Tensor(zeros: [d]) }
        return estimate.withUnsafeMutableBufferPointer { g in
            difference.withUnsafeMutableBufferPointer { r in
                for i in 0..<d { r[i] = input[i] - g[i] }
                let bits = inner.compress(UnsafeBufferPointer(r), into: output, rng: &rng)
                for i in 0..<d {
                    g[i] += output[i]
                    output[i] = g[i]
                }
                return bits
            }
        }
    }
}
