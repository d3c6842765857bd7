/// A noise model named with its parameters, as written in an experiment config, e.g.
/// `{kind: alpha-stable, alpha: 1.5, sigma: 1}`.
public struct NoiseSpec: Codable, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Codable, CaseIterable, Sendable, NamedChoice {
        case gaussian, studentT = "student-t", alphaStable = "alpha-stable", pareto, cauchy
    }

    public var kind: Kind
    public var sigma: Double
    /// ν for Student-t, α for α-stable and Pareto.
    public var tail: Double?

    public init(kind: Kind, sigma: Double = 1, tail: Double? = nil) {
        self.kind = kind
        self.sigma = sigma
        self.tail = tail
    }

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    public func make() throws -> any NoiseModel {
        guard sigma > 0, sigma.isFinite else { throw Invalid(description: "noise '\(kind.rawValue)': sigma must be a positive number, got \(sigma)") }
        func needTail() throws -> Double {
            guard let tail else { throw Invalid(description: "noise '\(kind.rawValue)' needs 'tail' (ν or α)") }
            // α-stable laws exist for α ∈ (0, 2]; Student-t and Pareto tails for any positive index.
            let upper = kind == .alphaStable ? 2.0 : .greatestFiniteMagnitude
            guard tail > 0, tail <= upper else {
                throw Invalid(description: "noise '\(kind.rawValue)': tail must lie in \(kind == .alphaStable ? "(0, 2]" : "(0, ∞)"), got \(tail)")
            }
            return tail
        }
        switch kind {
        case .gaussian: return GaussianNoise(sigma: sigma)
        case .studentT: return StudentTNoise(nu: try needTail(), sigma: sigma)
        case .alphaStable: return SymmetricAlphaStableNoise(alpha: try needTail(), sigma: sigma)
        case .pareto: return SymmetricParetoNoise(alpha: try needTail(), sigma: sigma)
        case .cauchy: return CauchyNoise(sigma: sigma)
        }
    }

    /// Short label for run groups and legends, e.g. "student-t(1.5)".
    public var description: String {
        let scale = sigma == 1 ? "" : ",σ=\(sigma)"
        switch kind {
        case .gaussian: return "gaussian" + (sigma == 1 ? "" : "(σ=\(sigma))")
        case .cauchy: return "cauchy" + (sigma == 1 ? "" : "(σ=\(sigma))")
        default: return "\(kind.rawValue)(\(tail.map { String($0) } ?? "?")\(scale))"
        }
    }
}
