/// Transcendental functions written so that LLVM vectorises the loops that call them.
///
/// libm's `expf` is an opaque call per element, which blocks vectorisation; activations and
/// softmaxes over a transformer's hidden states are millions of elements per step. These are
/// branch-free scalar functions (selects, fused arithmetic and wrapping integer ops only), so a
/// plain loop over a buffer becomes SIMD code. The rounding uses the 1.5·2²³ trick rather than
/// `rounded()`/`Int32(_:)`, whose trapping or library-call lowering would stop the vectoriser.
public enum FastMath {
    /// eˣ with relative error below 3·10⁻⁷ on [−87.3, 88]: x = n·ln2 + r with |r| ≤ ln2/2, then
    /// the degree-6 minimax polynomial for eʳ of Cephes' `expf`, scaled by 2ⁿ through the exponent
    /// bits. Arguments outside the range are clamped (the upper end so that n ≤ 127 keeps 2ⁿ a
    /// finite float), so the result saturates at about 10⁻³⁸ and 1.6·10³⁸ instead of reaching 0
    /// and ∞; every use here (softmax after max-subtraction, sigmoid) is insensitive to that.
    @inline(__always)
    public static func exp(_ x: Float) -> Float {
        var xc = x < -87.33654 ? -87.33654 : x
        xc = xc > 88 ? 88 : xc
        let shifted = xc * 1.442695041 + 12_582_912
        let n = shifted - 12_582_912
        // ln2 as an exactly representable head plus a tail, so r keeps full precision.
        let r = (xc - n * 0.693359375) + n * 2.12194440e-4
        var p: Float = 1.9875691500e-4
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        p = p * (r * r) + r + 1
        let exponent = Int32(bitPattern: shifted.bitPattern) &- 0x4B40_0000
        return p * Float(bitPattern: UInt32(bitPattern: (exponent &+ 127) &<< 23))
    }

    /// `exp` on eight lanes at once, each lane bit-identical to the scalar version (the same
    /// operations in the same order), for kernels that hold their data in `SIMD8` vectors and must
    /// agree with the scalar code.
    @inline(__always)
    public static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        var xc = x.replacing(with: -87.33654, where: x .< -87.33654)
        xc = xc.replacing(with: 88, where: xc .> 88)
        let shifted = xc * 1.442695041 + 12_582_912
        let n = shifted - 12_582_912
        let r = (xc - n * 0.693359375) + n * 2.12194440e-4
        var p = SIMD8<Float>(repeating: 1.9875691500e-4)
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        p = p * (r * r) + r + 1
        let exponent = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000
        return p * unsafeBitCast((exponent &+ 127) &<< 23, to: SIMD8<Float>.self)
    }

    /// log(1 + y) for y in [0, 1] with relative error below 3·10⁻⁷: 2·atanh(s) with s = y/(2 + y)
    /// in [0, 1/3], whose odd series s + s³/3 + … + s¹⁵/15 is within 1.4·10⁻⁸ of it there. Relative
    /// accuracy holds down to tiny y (no 1 + y is formed), which softplus of very negative inputs needs.
    @inline(__always)
    public static func log1p(unitInterval y: Float) -> Float {
        let s = y / (2 + y), s2 = s * s
        var p: Float = 1.0 / 15
        p = p * s2 + 1.0 / 13
        p = p * s2 + 1.0 / 11
        p = p * s2 + 1.0 / 9
        p = p * s2 + 1.0 / 7
        p = p * s2 + 1.0 / 5
        p = p * s2 + 1.0 / 3
        return 2 * s * (p * s2 + 1)
    }

    /// σ(x) = 1/(1 + e⁻ˣ); exactly 1 for large x and below 10⁻³⁸ for very negative x.
    @inline(__always)
    public static func sigmoid(_ x: Float) -> Float { 1 / (1 + exp(-x)) }

    /// Φ(x), the standard normal CDF, with absolute error below 3·10⁻⁷: ½(1 + erf(x/√2)) through
    /// Abramowitz & Stegun 7.1.26 (|ε(erf)| ≤ 1.5·10⁻⁷), a rational polynomial in t = 1/(1 + p·z)
    /// times e^(−z²). The left tail is taken as ½·(1 − erf(|z|)) directly, which avoids 1 − (1 − δ).
    @inline(__always)
    public static func normalCDF(_ x: Float) -> Float {
        let z = abs(x) * 0.70710678118654752
        let t = 1 / (1 + 0.3275911 * z)
        var p: Float = 1.061405429
        p = p * t - 1.453152027
        p = p * t + 1.421413741
        p = p * t - 0.284496736
        p = p * t + 0.254829592
        let tail = 0.5 * p * t * exp(-z * z)
        return x < 0 ? tail : 1 - tail
    }
}
