/// A config section's validation: `let check = ConfigCheck("ssm-recsys quality")`, then
/// `try check(batch >= 1, "batch must be ≥ 1, got \(batch)")` throws "ssm-recsys quality: batch
/// must be ≥ 1, got 0" when the condition fails, so every message names where the value lives.
public struct ConfigCheck: Sendable {
    public let context: String

    public init(_ context: String) { self.context = context }

    public func callAsFunction(_ ok: Bool, _ what: @autoclosure () -> String) throws {
        if !ok { throw SuiteError("\(context): \(what())") }
    }

    /// Runs a validation that throws its own errors (building an optimizer or compressor from its
    /// spec) and prefixes them with the section, as failed conditions are.
    public func callAsFunction(_ validation: () throws -> Void) throws {
        do { try validation() } catch { throw SuiteError("\(context): \(error)") }
    }
}
