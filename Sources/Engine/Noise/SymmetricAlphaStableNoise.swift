import Foundation

/// Symmetric α-stable noise SαS(α, σ) by Chambers, Mallows & Stuck (1976), β = 0:
/// U ~ Unif(−π/2, π/2), W ~ Exp(1),
/// X = sin(αU)/cos(U)^{1/α} · (cos((1−α)U)/W)^{(1−α)/α},  ξ = σ·X.
/// Characteristic function exp(−|σt|^α); α = 2 is N(0, 2σ²), α = 1 is Cauchy(σ). Tail index α for
/// α < 2 (infinite variance), the heavy-tailed noise of both clipping and sign-method papers.
public struct SymmetricAlphaStableNoise: NoiseModel {
    public let alpha: Double, sigma: Double
    public init(alpha: Double, sigma: Double = 1) {
        precondition(alpha > 0 && alpha <= 2 && sigma > 0, "SymmetricAlphaStableNoise needs α ∈ (0, 2] and σ > 0, got α=\(alpha), σ=\(sigma)")
        self.alpha = alpha
        self.sigma = sigma
    }
    public var name: String { "alpha-stable(α=\(alpha), σ=\(sigma))" }
    public var tailIndex: Double { alpha < 2 ? alpha : .infinity }
    public func sample(_ rng: inout RNG) -> Double {
        let u = Double.pi * (rng.uniformOpen() - 0.5)
        let w = -Foundation.log(rng.uniformOpen())
        if alpha == 1 { return sigma * Foundation.tan(u) }
        let x = Foundation.sin(alpha * u) / Foundation.pow(Foundation.cos(u), 1 / alpha)
            * Foundation.pow(Foundation.cos((1 - alpha) * u) / w, (1 - alpha) / alpha)
        return sigma * x
    }
}
