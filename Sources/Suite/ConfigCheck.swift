/// A config section's validation: `let check = ConfigCheck("ssm-recsys quality")`, then
/// `try check(batch >= 1, "batch must be ≥ 1, got \(batch)")` throws "ssm-recsys quality: batch
/// must be ≥ 1, got 0" when the condition fails, so every message names where the value lives.
public struct ConfigCheck: Sendable {
    public let context: String

    public init(_ context: String) { self.context = context }

    public func callAsFunction(_ ok: Bool, _ what: @autoclosure () -> String) throws {
        if !ok { throw SuiteError("\(context): \(what())") }
    }

    /// Every named count must be at least `minimum` (1 unless said); the first that is not is
    /// named with its value: `try check.counts(["steps": steps, "seeds": seeds], in: "quick")` throws
    /// "sign-methods synthetic: quick.steps must be ≥ 1, got -5".
    public func counts(_ values: KeyValuePairs<String, Int>, in section: String? = nil, minimum: Int = 1) throws {
        for (name, value) in values where value < minimum {
            throw SuiteError("\(context): \(section.map { "\($0)." } ?? "")\(name) must be ≥ \(minimum), got \(value)")
        }
    }

    /// Runs a validation that throws its own errors (building an optimizer or compressor from its
    /// spec) and prefixes them with the section, as failed conditions are.
    public func callAsFunction(_ validation: () throws -> Void) throws {
        do { try validation() } catch { throw SuiteError("\(context): \(error)") }
    }
}
