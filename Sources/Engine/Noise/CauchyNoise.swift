import Foundation

/// ξ = σ·tan(π(U − ½)), Cauchy(0, σ); tail index 1 (no finite mean), quantile σ·tan(π(p − ½)).
public struct CauchyNoise: NoiseModel {
    public let sigma: Double
    public init(sigma: Double = 1) {
        precondition(sigma > 0, "CauchyNoise needs σ > 0, got \(sigma)")
        self.sigma = sigma
    }
    public var name: String { "cauchy(σ=\(sigma))" }
    public var tailIndex: Double { 1 }
    public func sample(_ rng: inout RNG) -> Double { sigma * Foundation.tan(Double.pi * (rng.uniformOpen() - 0.5)) }
    public func quantile(_ p: Double) -> Double { sigma * Foundation.tan(Double.pi * (p - 0.5)) }
}
