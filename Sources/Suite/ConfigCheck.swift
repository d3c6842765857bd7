import Engine

/// A config section's validation: `let check = ConfigCheck("ssm-recsys quality")`, then
/// `try check(batch >= 1, "batch must be ≥ 1, got \(batch)")` throws "ssm-recsys quality: batch
/// must be ≥ 1, got 0" when the condition fails, so every message names where the value lives.
public struct ConfigCheck: Sendable {
    public let context: String

    public init(_ context: String) { self.context = context }

    public func callAsFunction(_ ok: Bool, _ what: @autoclosure () -> String) throws {
        if !ok { throw SuiteError("\(context): \(what())") }
    }

    /// The largest count (steps, epochs, batch, width, …) a config may ask for: far beyond what
    /// this suite runs, and low enough that products of counts (epochs × steps per epoch × batch)
    /// cannot overflow an Int or ask for an allocation that fails before the first step.
    public static let largestCount = 100_000_000
    /// Seeds per group are capped far lower: every seed is a run built before any starts.
    public static let largestSeeds = 10_000

    /// Every named count must lie in `minimum…maximum` (1…`largestCount` unless said); the first
    /// that does not is named with its value: `try check.counts(["steps": steps], in: "quick")`
    /// throws "sign-methods synthetic: quick.steps must be ≥ 1, got -5".
    public func counts(_ values: KeyValuePairs<String, Int>, in section: String? = nil, minimum: Int = 1,
                       maximum: Int = ConfigCheck.largestCount) throws {
        for (name, value) in values where value < minimum || value > maximum {
            let key = "\(section.map { "\($0)." } ?? "")\(name)"
            throw SuiteError("\(context): \(key) must be \(value < minimum ? "≥ \(minimum)" : "≤ \(maximum)"), got \(value)")
        }
    }

    /// Seeds per group: 1…`largestSeeds`.
    public func seeds(_ values: KeyValuePairs<String, Int>, in section: String? = nil) throws {
        try counts(values, in: section, maximum: Self.largestSeeds)
    }

    /// Names that become run groups (methods, models, settings) must differ, or two settings would
    /// share one group's runs: `try check.unique(methods.map(\.name), "methods")`.
    public func unique(_ names: [String], _ what: String) throws {
        var seen = Set<String>()
        for name in names where !seen.insert(name).inserted {
            throw SuiteError("\(context): \(what) names must be unique, '\(name)' appears more than once")
        }
    }

    /// A sweep over noise models × methods, each pair a run group: both listed, every name unique,
    /// every noise model buildable from its spec.
    public func noiseMethodGrid(noises: [NoiseSpec], methods: [String]) throws {
        try self(!noises.isEmpty && !methods.isEmpty, "needs at least one noise and one method")
        try unique(noises.map(\.description), "noise")
        try unique(methods, "method")
        for noise in noises { try self { _ = try noise.make() } }
    }

    /// Runs a validation that throws its own errors (building an optimizer or compressor from its
    /// spec) and prefixes them with the section, as failed conditions are.
    public func callAsFunction(_ validation: () throws -> Void) throws {
        do { try validation() } catch { throw SuiteError("\(context): \(error)") }
    }
}
