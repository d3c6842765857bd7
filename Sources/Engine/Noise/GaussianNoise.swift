/// ξ ~ N(0, σ²); light-tailed, all moments finite.
public struct GaussianNoise: NoiseModel {
    public let sigma: Double
    public init(sigma: Double) {
        precondition(sigma > 0, "GaussianNoise needs σ > 0, got \(sigma)")
        self.sigma = sigma
    }
    public var name: String { "gaussian(σ=\(sigma))" }
    public var tailIndex: Double { .infinity }
    public func sample(_ rng: inout RNG) -> Double { sigma * rng.normal() }
}
