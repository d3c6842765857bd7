/// Error feedback (Seide et al. 2014; Karimireddy et al. 2019, EF-SGD): compress what was sent
/// plus everything dropped so far.
///
/// p_t = x_t + e_t,  c_t = C(p_t),  e_{t+1} = p_t − c_t.  The receiver gets c_t; over time
/// Σ c_t = Σ x_t − e_{T}, so nothing is lost, only delayed.
public struct ErrorFeedback<Inner: Compressor>: Compressor {
    public var inner: Inner
    /// e_t, the accumulated residual.
    public private(set) var error = Tensor(zeros: [0])
    private var corrected = Tensor(zeros: [0])

    public init(_ inner: Inner) { self.inner = inner }

    /// Continues from a residual saved earlier (a run's checkpoint).
    public mutating func restore(error saved: Tensor) {
        error = saved
        corrected = Tensor(zeros: [saved.count])
    }

    public mutating func compress(_ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>, rng: inout RNG) -> Int {
        let d = input.count
        if error.count != d { error = Tensor(zeros: [d]); corrected = Tensor(zeros: [d]) }
        return error.withUnsafeMutableBufferPointer { e in
            corrected.withUnsafeMutableBufferPointer { p in
                for i in 0..<d { p[i] = input[i] + e[i] }
                let bits = inner.compress(UnsafeBufferPointer(p), into: output, rng: &rng)
                for i in 0..<d { e[i] = p[i] - output[i] }
                return bits
            }
        }
    }
}
