import Suite
import Tasks

/// A quadratic f(x) = ½·Σλᵢxᵢ² (λ spread geometrically over [μ, L]), x₀ = start·(1, …, 1), as a
/// paper's experiments.yaml writes it: the synthetic problem of the heavy-tailed papers.
public struct QuadraticSpec: Codable, Sendable, Hashable {
    public var dimension: Int
    public var mu: Float
    public var l: Float
    public var start: Float

    public init(dimension: Int, mu: Float, l: Float, start: Float) {
        (self.dimension, self.mu, self.l, self.start) = (dimension, mu, l, start)
    }

    public func validate(_ check: ConfigCheck) throws {
        try check.counts(["dimension": dimension], in: "problem")
        try check(mu > 0 && mu.isFinite && l >= mu && l.isFinite, "problem needs 0 < mu ≤ l (finite), got mu \(mu), l \(l)")
        try check(start.isFinite, "problem.start must be finite, got \(start)")
    }
}
