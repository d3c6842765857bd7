/// The batch size of a run with a batch-size test: after each step the test reads the step's
/// gradient statistics and proposes the batch that would have passed; the batch grows to the
/// smallest proposal of the last `window` steps when that exceeds it, up to `maximum`, and never
/// shrinks.
///
/// Batches are counted in whatever unit the caller draws (e.g. sequences) while the test counts
/// examples (e.g. predicted items); a proposal scales the current batch by required/held examples.
/// `window` = 1 is the plain rule of Byrd et al. (2012, eq. 3.12); a longer window (the smallest of
/// several proposals) keeps one noisy variance estimate from inflating the batch.
public struct AdaptiveBatchSize: Sendable {
    public let test: any BatchSizeTest
    public let maximum: Int
    public let window: Int
    public private(set) var batch: Int
    private var proposals: [Int] = []

    public init(test: any BatchSizeTest, initial: Int, maximum: Int, window: Int = 1) {
        precondition(initial >= 1 && maximum >= initial && window >= 1,
                     "AdaptiveBatchSize: need 1 ≤ initial (\(initial)) ≤ maximum (\(maximum)) and window ≥ 1 (\(window))")
        self.test = test
        self.maximum = maximum
        self.window = window
        batch = initial
    }

    /// What the controller carries from step to step (the test and bounds are its config), for a
    /// run's checkpoint.
    public struct State: Codable, Equatable, Sendable {
        public var batch: Int
        public var proposals: [Int]
    }

    public var state: State {
        get { State(batch: batch, proposals: proposals) }
        set { (batch, proposals) = (newValue.batch, newValue.proposals) }
    }

    /// The batch proposed from one step's statistics (not capped, at least the current batch).
    public func proposal(_ statistics: GradientStatistics) -> Int {
        let required = test.requiredExamples(statistics)
        let held = Double(max(statistics.examples, 1))
        guard required > held else { return batch }
        let scaled = (Double(batch) * required / held).rounded(.up)
        return scaled.isFinite && scaled < Double(Int.max / 2) ? Int(scaled) : Int.max / 2
    }

    /// Records a step; returns true when the batch grew.
    @discardableResult
    public mutating func update(_ statistics: GradientStatistics) -> Bool {
        proposals.append(proposal(statistics))
        if proposals.count > window { proposals.removeFirst() }
        guard proposals.count == window, let smallest = proposals.min(), smallest > batch, batch < maximum else { return false }
        batch = min(maximum, smallest)
        proposals.removeAll(keepingCapacity: true)
        return true
    }
}
