/// A config section with one sweep per scale, written in YAML as `quick: {…}` and `full: {…}`.
public protocol ScaledSweeps {
    associatedtype Sweep
    var quick: Sweep { get }
    var full: Sweep { get }
}

extension ScaledSweeps {
    public func sweep(_ scale: Scale) -> Sweep { scale == .quick ? quick : full }

    /// Both sweeps by name, for validating each: a broken full sweep is a broken file, whichever runs.
    public var sweeps: [(scale: String, sweep: Sweep)] { [("quick", quick), ("full", full)] }
}
