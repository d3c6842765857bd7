import Foundation

/// Symmetric Pareto-tailed (Lomax) noise: |ξ| = σ·(U^{−1/α} − 1) with a random sign, so
/// P(|ξ| > x) = (1 + x/σ)^{−α} exactly: tail index α, continuous at 0, with quantile
/// q(p) = sign(p − ½)·σ·((2·min(p, 1−p))^{−1/α} − 1).
public struct SymmetricParetoNoise: NoiseModel {
    public let alpha: Double, sigma: Double
    public init(alpha: Double, sigma: Double = 1) {
        precondition(alpha > 0 && sigma > 0, "SymmetricParetoNoise needs α > 0 and σ > 0, got α=\(alpha), σ=\(sigma)")
        self.alpha = alpha
        self.sigma = sigma
    }
    public var name: String { "pareto(α=\(alpha), σ=\(sigma))" }
    public var tailIndex: Double { alpha }
    public func sample(_ rng: inout RNG) -> Double {
        let magnitude = sigma * (Foundation.pow(rng.uniformOpen(), -1 / alpha) - 1)
        return rng.next() & 1 == 0 ? magnitude : -magnitude
    }
    public func quantile(_ p: Double) -> Double {
        let tail = 2 * min(p, 1 - p)
        let q = sigma * (Foundation.pow(tail, -1 / alpha) - 1)
        return p < 0.5 ? -q : q
    }
}
