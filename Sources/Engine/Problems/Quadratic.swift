import Foundation

/// f(x) = ½·Σᵢ λᵢ·(xᵢ − x*ᵢ)² with eigenvalues λᵢ spread geometrically over [μ, L]: a strongly convex,
/// L-smooth problem with condition number L/μ, minimiser x* and f* = 0.
public struct Quadratic: StochasticProblem {
    public let eigenvalues: [Float]
    public let minimiser: [Float]

    public init(eigenvalues: [Float], minimiser: [Float]? = nil) {
        precondition(!eigenvalues.isEmpty && eigenvalues.allSatisfy { $0 > 0 }, "Quadratic needs positive eigenvalues")
        precondition(minimiser == nil || minimiser!.count == eigenvalues.count,
                     "Quadratic: minimiser has \(minimiser!.count) coordinates, eigenvalues \(eigenvalues.count)")
        self.eigenvalues = eigenvalues
        self.minimiser = minimiser ?? [Float](repeating: 0, count: eigenvalues.count)
    }

    /// d eigenvalues μ·(L/μ)^{i/(d−1)}, i = 0 … d−1.
    public init(dimension d: Int, mu: Float, l: Float) {
        precondition(d >= 1 && mu > 0 && l >= mu, "Quadratic needs d ≥ 1 and 0 < μ ≤ L; got d=\(d), μ=\(mu), L=\(l)")
        let ratio = Double(l / mu)
        self.init(eigenvalues: (0..<d).map { i in d == 1 ? l : mu * Float(pow(ratio, Double(i) / Double(d - 1))) })
    }

    public var dimension: Int { eigenvalues.count }
    public var optimalValue: Double { 0 }

    public func value(_ x: UnsafeBufferPointer<Float>) -> Double {
        var sum = 0.0
        for i in 0..<eigenvalues.count {
            let r = Double(x[i] - minimiser[i])
            sum += Double(eigenvalues[i]) * r * r
        }
        return sum / 2
    }

    public func gradient(_ x: UnsafeBufferPointer<Float>, into gradient: UnsafeMutableBufferPointer<Float>) {
        for i in 0..<eigenvalues.count { gradient[i] = eigenvalues[i] * (x[i] - minimiser[i]) }
    }
}
