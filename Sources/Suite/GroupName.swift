/// Run-group names of two-level sweeps, "noise=<outer> method=<inner>": the outer value must not
/// contain " <innerKey>=", the inner one (last) may contain anything, e.g. "MV-SignSGD M=3".
public enum GroupName {
    public static func make(_ outerKey: String, _ outer: String, _ innerKey: String, _ inner: String) -> String {
        "\(outerKey)=\(outer) \(innerKey)=\(inner)"
    }

    public static func parse(_ group: String, _ outerKey: String, _ innerKey: String) -> (outer: String, inner: String)? {
        guard group.hasPrefix(outerKey + "="), let split = group.range(of: " \(innerKey)=") else { return nil }
        return (String(group[group.index(group.startIndex, offsetBy: outerKey.count + 1)..<split.lowerBound]), String(group[split.upperBound...]))
    }

    /// A file-name-safe ASCII form of a setting, e.g. "alpha-stable(1.5)" → "alpha-stable-1-5" and
    /// "gaussian(σ=0.001)" → "gaussian-sigma-0-001": figure files are linked from Markdown and typed
    /// in shells, where non-ASCII names are a nuisance.
    public static func slug(_ value: String) -> String {
        value.map { c -> String in
            if c.isASCII && (c.isLetter || c.isNumber) { return String(c) }
            return greekNames[c].map { "-\($0)-" } ?? "-"
        }.joined().split(separator: "-").joined(separator: "-")
    }

    /// The Greek letters the papers' parameters are named with (σ, α, ν, κ, …).
    static let greekNames: [Character: String] = [
        "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "η": "eta", "κ": "kappa",
        "λ": "lambda", "μ": "mu", "ν": "nu", "ρ": "rho", "σ": "sigma", "τ": "tau",
    ]
}

extension ResultSet {
    /// The groups of a two-level sweep split by their outer value, both in sweep order.
    public func groups(_ experiment: String, outer outerKey: String, inner innerKey: String) throws
        -> [(outer: String, groups: [(group: String, inner: String)])] {
        var order: [String] = [], members: [String: [(group: String, inner: String)]] = [:]
        for group in try groups(experiment) {
            guard let (outer, inner) = GroupName.parse(group, outerKey, innerKey) else { continue }
            if members[outer] == nil { order.append(outer) }
            members[outer, default: []].append((group, inner))
        }
        return order.map { ($0, members[$0]!) }
    }
}
