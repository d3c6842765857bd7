import Foundation

/// ξ = σ·Z/√(V/ν) with Z ~ N(0,1), V ~ χ²_ν = Gamma(ν/2, 2): Student's t with ν degrees of freedom;
/// tail index ν (moments of order < ν finite; ν ≤ 2 has infinite variance).
public struct StudentTNoise: NoiseModel {
    public let nu: Double, sigma: Double
    public init(nu: Double, sigma: Double = 1) {
        precondition(nu > 0 && sigma > 0, "StudentTNoise needs ν > 0 and σ > 0, got ν=\(nu), σ=\(sigma)")
        self.nu = nu
        self.sigma = sigma
    }
    public var name: String { "student-t(ν=\(nu), σ=\(sigma))" }
    public var tailIndex: Double { nu }
    public func sample(_ rng: inout RNG) -> Double {
        let v = 2 * GammaSampler.sample(shape: nu / 2, &rng)
        return sigma * rng.normal() / (v / nu).squareRoot()
    }
}

/// Gamma(k, 1) by Marsaglia & Tsang (2000); shapes below 1 through Gamma(k+1)·U^{1/k}.
enum GammaSampler {
    static func sample(shape k: Double, _ rng: inout RNG) -> Double {
        if k < 1 { return sample(shape: k + 1, &rng) * Foundation.pow(rng.uniformOpen(), 1 / k) }
        let d = k - 1.0 / 3, c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double, v: Double
            repeat {
                x = rng.normal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = rng.uniformOpen()
            if u < 1 - 0.0331 * x * x * x * x || Foundation.log(u) < 0.5 * x * x + d * (1 - v + Foundation.log(v)) {
                return d * v
            }
        }
    }
}
