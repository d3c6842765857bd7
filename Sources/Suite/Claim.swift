/// A finding of the paper stated as a predicate over results, with where the paper shows it.
public struct Claim: Sendable {
    public let id: String
    /// The paper's figure or table, e.g. "Fig. 2".
    public let source: String
    public let statement: String
    /// The experiments whose runs it reads: `figures` writes the claims once they are all finished,
    /// and the claim is evaluated on them alone (`ClaimResult.evaluate`).
    public let experiments: [String]
    public let evaluate: @Sendable (ResultSet) throws -> Outcome
    /// Set when the claim is known not to reproduce here, with the reason (explained in the paper's
    /// README). `check` then expects it to fail: a failure is reported as a known deviation, and the
    /// claim starting to hold is flagged, since the README no longer describes the results.
    public let knownDeviation: String?
    /// Like `knownDeviation`, for a claim that does not reproduce at one scale only (e.g. the quick
    /// sweep has too few samples or epochs to show the effect), with the reason.
    public let scaleDeviations: [Scale: String]

    /// What the runs say about a claim: its interval lies on the claim's side of the threshold,
    /// on the other side, or reaches it.
    public enum Decision: String, Sendable, Codable, CaseIterable {
        case holds, fails, inconclusive
    }

    /// The comparisons a claim made on the runs and how they combine.
    public struct Outcome: Sendable {
        /// `all`: the claim states every comparison ("for every noise"); `any`: some ("at some
        /// checkpoint").
        public enum Combination: Sendable { case all, any }

        public let comparisons: [Comparison]
        public let combination: Combination
        /// Context a reader needs besides the comparisons, e.g. which setting validation chose.
        public let note: String?

        public init(_ comparisons: [Comparison], combination: Combination = .all, note: String? = nil) {
            precondition(!comparisons.isEmpty, "a claim compares at least one quantity")
            self.comparisons = comparisons
            self.combination = combination
            self.note = note
        }

        public init(_ comparison: Comparison, note: String? = nil) { self.init([comparison], note: note) }

        /// `all` holds when every comparison holds and fails when one fails; `any` holds when one
        /// holds and fails when all fail; otherwise inconclusive. Each comparison's interval is at
        /// 95 %, so "holds" for `all` keeps that level (an intersection–union test).
        public var decision: Decision {
            let decisions = comparisons.map(\.decision)
            switch combination {
            case .all:
                if decisions.contains(.fails) { return .fails }
                return decisions.allSatisfy { $0 == .holds } ? .holds : .inconclusive
            case .any:
                if decisions.contains(.holds) { return .holds }
                return decisions.allSatisfy { $0 == .fails } ? .fails : .inconclusive
            }
        }

        /// The comparisons whose interval reaches their threshold.
        public var undecided: [Comparison] { comparisons.filter { $0.decision == .inconclusive } }
    }

    public init(id: String, source: String, statement: String, experiments: [String], knownDeviation: String? = nil,
                scaleDeviations: [Scale: String] = [:], evaluate: @escaping @Sendable (ResultSet) throws -> Outcome) {
        self.id = id
        self.source = source
        self.statement = statement
        self.experiments = experiments
        self.knownDeviation = knownDeviation
        self.scaleDeviations = scaleDeviations
        self.evaluate = evaluate
    }

    /// The deviation `check` expects at `scale`, if any.
    public func knownDeviation(at scale: Scale) -> String? {
        knownDeviation ?? scaleDeviations[scale]
    }
}
