/// The settings a group of runs shares, by name, in the order they are shown: runs of a group
/// differ only in their seed, and baselines, quantile bands and claims are per group. Its `name`,
/// e.g. "noise=student-t(1.5) method=Clip-Adam", is part of each run's key and what baselines and
/// progress lines show; figures, tables and claims read the fields (`group["method"]`), never the
/// name.
public struct RunGroup: Hashable, Sendable {
    public struct Field: Hashable, Sendable {
        public let key: String
        public let value: String
    }

    public let fields: [Field]
    /// Set for a group named by a bare label ("pretrain"), which has no fields.
    private let label: String?

    public init(_ fields: KeyValuePairs<String, String>) {
        precondition(!fields.isEmpty, "a group has at least one field; RunGroup.named for a bare label")
        self.fields = fields.map { Field(key: $0.key, value: $0.value) }
        label = nil
    }

    /// A group with one setting and nothing to read from it, e.g. the only pre-training run.
    public static func named(_ label: String) -> RunGroup { RunGroup(label: label) }

    private init(label: String) {
        fields = []
        self.label = label
    }

    public var name: String { label ?? fields.map { "\($0.key)=\($0.value)" }.joined(separator: " ") }

    public subscript(_ key: String) -> String? { fields.first { $0.key == key }?.value }

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
    /// The groups of an experiment in declaration order, with their fields.
    public func runGroups(_ experiment: String) throws -> [RunGroup] {
        var seen = Set<String>(), order: [RunGroup] = []
        for run in try self.experiment(experiment).runs where seen.insert(run.group).inserted {
            guard let fields = run.groupFields else {
                throw SuiteError("\(paper)/\(experiment): run group '\(run.group)' was built without its fields (RunGroup)")
            }
            order.append(fields)
        }
        return order
    }

    /// Each group's name with its value of `key`, in declaration order (groups without it left out).
    public func groups(_ experiment: String, by key: String) throws -> [(group: String, value: String)] {
        try runGroups(experiment).compactMap { g in g[key].map { (g.name, $0) } }
    }

    /// The groups of a two-level sweep split by their outer value, both in sweep order.
    public func groups(_ experiment: String, outer outerKey: String, inner innerKey: String) throws
        -> [(outer: String, groups: [(group: String, inner: String)])] {
        var order: [String] = [], members: [String: [(group: String, inner: String)]] = [:]
        for group in try runGroups(experiment) {
            guard let outer = group[outerKey], let inner = group[innerKey] else { continue }
            if members[outer] == nil { order.append(outer) }
            members[outer, default: []].append((group.name, inner))
        }
        return order.map { ($0, members[$0]!) }
    }
}
