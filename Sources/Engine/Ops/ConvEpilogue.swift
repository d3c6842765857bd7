/// What a convolution does to each output as it writes it, per output channel o:
/// v + bias[o], then v·scale[o] + shift[o], then max(v, 0) — each step only when given.
///
/// Evaluation-mode batch norm is an affine map per channel, so conv → BN → ReLU at inference can be
/// one pass over the activations instead of three. The steps are the separate ops' own arithmetic
/// (a rounded product, then a rounded sum, as in `batchNorm`'s `planeAffine`; ReLU's x > 0 ? x : 0),
/// so the fused output has the bits of the three ops.
struct ConvEpilogue {
    var bias: UnsafePointer<Float>? = nil
    var scale: UnsafePointer<Float>? = nil, shift: UnsafePointer<Float>? = nil
    var relu = false

    var isIdentity: Bool { bias == nil && scale == nil && !relu }

    @inline(__always) func apply(_ value: Float, channel o: Int) -> Float {
        var v = value
        if let bias { v = v + bias[o] }
        if let scale, let shift { v = v * scale[o] + shift[o] }
        if relu { v = v > 0 ? v : 0 }
        return v
    }

    /// Eight values of channel o.
    @inline(__always) func apply(_ value: SIMD8<Float>, channel o: Int) -> SIMD8<Float> {
        var v = value
        if let bias { v = v + SIMD8(repeating: bias[o]) }
        if let scale, let shift { v = v * SIMD8(repeating: scale[o]) + SIMD8(repeating: shift[o]) }
        if relu { v = SIMD8(repeating: 0).replacing(with: v, where: v .> 0) }
        return v
    }

    /// Applies the epilogue in place to y `[N, F, spatial]`.
    func apply(to y: UnsafeMutablePointer<Float>, images: Int, channels: Int, spatial: Int) {
        guard !isIdentity else { return }
        ParallelPieces.forEach(images) { n in
            for o in 0..<channels {
                let plane = y + (n * channels + o) * spatial
                for i in 0..<spatial { plane[i] = apply(plane[i], channel: o) }
            }
        }
    }
}
