/// A test that decides from a batch's gradient statistics whether the batch was large enough for
/// its gradient to be a descent direction with high probability, and if not how many examples it
/// needed (Byrd, Chin, Nocedal & Wu 2012, §3; Bollapragada, Byrd & Nocedal 2018, §3).
public protocol BatchSizeTest: Sendable {
    /// The examples the batch needed: ≤ `statistics.examples` when the test holds.
    func requiredExamples(_ statistics: GradientStatistics) -> Double
}

/// The norm test (Byrd et al. 2012, eqs. 3.9 and 3.12): the batch gradient g_S passes when
///
///     E‖∇ℓ_i − ∇F‖² / |S| ≤ θ²·‖g_S‖²,
///
/// the variance estimated from the micro-batches and ∇F by g_S; otherwise the batch should have had
/// |Ŝ| = σ̂²/(θ²‖g_S‖²) examples. Smaller θ demands more accurate gradients (larger batches).
public struct NormTest: BatchSizeTest {
    public let theta: Double

    public init(theta: Double) {
        precondition(theta > 0 && theta.isFinite, "NormTest: θ must be finite and > 0, got \(theta)")
        self.theta = theta
    }

    public func requiredExamples(_ s: GradientStatistics) -> Double {
        guard s.variance.isFinite else { return 0 }
        return s.variance / (theta * theta * s.meanNormSquared)
    }
}

/// The augmented inner-product test (Bollapragada, Byrd & Nocedal 2018, eqs. 3.3 and 3.5–3.6):
/// the inner-product test
///
///     Var(∇ℓ_iᵀ∇F) / |S| ≤ θ²·‖∇F‖⁴
///
/// (the batch gradient makes an acute angle with ∇F with high probability, a weaker demand than the
/// norm test's) together with the orthogonality test
///
///     E‖∇ℓ_i − (∇ℓ_iᵀ∇F/‖∇F‖²)·∇F‖² / |S| ≤ ν²·‖∇F‖²
///
/// that keeps the component orthogonal to ∇F bounded; ∇F is estimated by the batch gradient. The
/// batch needed is the larger of the two sizes that make them hold.
public struct AugmentedInnerProductTest: BatchSizeTest {
    public let theta: Double
    public let nu: Double

    public init(theta: Double, nu: Double) {
        precondition(theta > 0 && theta.isFinite && nu > 0 && nu.isFinite,
                     "AugmentedInnerProductTest: θ and ν must be finite and > 0, got θ = \(theta), ν = \(nu)")
        self.theta = theta
        self.nu = nu
    }

    public func requiredExamples(_ s: GradientStatistics) -> Double {
        guard s.innerProductVariance.isFinite && s.orthogonalVariance.isFinite else { return 0 }
        let g2 = s.meanNormSquared
        return max(s.innerProductVariance / (theta * theta * g2 * g2), s.orthogonalVariance / (nu * nu * g2))
    }
}
