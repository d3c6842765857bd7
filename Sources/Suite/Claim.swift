/// A finding of the paper stated as a predicate over results, with where the paper shows it.
public struct Claim: Sendable {
    public let id: String
    /// The paper's figure or table, e.g. "Fig. 2".
    public let source: String
    public let statement: String
    public let evaluate: @Sendable (ResultSet) throws -> Outcome
    /// Set when the claim is known not to reproduce here, with the reason (explained in the paper's
    /// README). `check` then expects it to fail: a failure is reported as a known deviation, and the
    /// claim starting to hold is flagged, since the README no longer describes the results.
    public let knownDeviation: String?
    /// Like `knownDeviation`, for a claim that does not reproduce at one scale only (e.g. the quick
    /// sweep has too few samples or epochs to show the effect), with the reason.
    public let scaleDeviations: [Scale: String]

    public struct Outcome: Sendable {
        public let passed: Bool
        /// What was measured, e.g. "q0.95: 0.012 vs 0.31 (ratio 0.04, needs < 0.5)".
        public let measured: String
        public init(passed: Bool, measured: String) {
            self.passed = passed
            self.measured = measured
        }
    }

    public init(id: String, source: String, statement: String, knownDeviation: String? = nil, scaleDeviations: [Scale: String] = [:],
                evaluate: @escaping @Sendable (ResultSet) throws -> Outcome) {
        self.id = id
        self.source = source
        self.statement = statement
        self.knownDeviation = knownDeviation
        self.scaleDeviations = scaleDeviations
        self.evaluate = evaluate
    }

    /// The deviation `check` expects at `scale`, if any.
    public func knownDeviation(at scale: Scale) -> String? {
        knownDeviation ?? scaleDeviations[scale]
    }
}
