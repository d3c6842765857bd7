/// Two-point zeroth-order descent, the baseline of the comparison-oracle experiments of
/// arXiv 2502.07923 (§5): it sees function values, not only their order.
///
/// e_t uniform on the unit sphere, ĝ_t = d·(f(x_t + δe_t) − f(x_t − δe_t))/(2δ)·e_t (an estimate of
/// ∇f(x_t) whose expectation is the gradient of a δ-smoothed f), x_{t+1} = x_t − γ·ĝ_t. One step
/// costs two function values, i.e. the information of one comparison plus its magnitude.
public struct TwoPointZeroOrder {
    public var learningRate: Float
    /// δ, the half-distance between the two evaluated points.
    public let smoothing: Float
    public private(set) var evaluations = 0

    public init(learningRate: Float, smoothing: Float) {
        precondition(learningRate > 0 && smoothing > 0, "TwoPointZeroOrder needs γ > 0 and δ > 0")
        self.learningRate = learningRate
        self.smoothing = smoothing
    }

    /// One step on x; `value` is the (noisy) function oracle.
    public mutating func step(_ x: inout Tensor, rng: inout RNG, value: (_ point: Tensor, _ rng: inout RNG) -> Double) {
        let d = x.count
        let e = RandomDirection.onUnitSphere(d, rng: &rng)
        var forward = x, backward = x
        e.withUnsafeBufferPointer { e in
            forward.withUnsafeMutableBufferPointer { BLAS.axpy(d, alpha: smoothing, x: e.baseAddress!, y: $0.baseAddress!) }
            backward.withUnsafeMutableBufferPointer { BLAS.axpy(d, alpha: -smoothing, x: e.baseAddress!, y: $0.baseAddress!) }
        }
        let difference = value(forward, &rng) - value(backward, &rng)
        evaluations += 2
        let scale = Float(Double(d) * difference / (2 * Double(smoothing)))
        e.withUnsafeBufferPointer { e in
            x.withUnsafeMutableBufferPointer { BLAS.axpy(d, alpha: -learningRate * scale, x: e.baseAddress!, y: $0.baseAddress!) }
        }
    }

}
