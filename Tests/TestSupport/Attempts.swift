import Foundation
import Suite

/// The same command run again and again on the same experiments, each attempt into a named store
/// under one scratch folder: what a user, or Slurm, does after a stop. Every attempt checkpoints at
/// every safe point; `stopAt: n` stops it after n checkpoints, as SIGTERM would. Resume tests
/// compare a store stopped and continued with one never stopped. The folder goes with the value.
public final class Attempts {
    public let root = FileManager.default.temporaryDirectory.appendingPathComponent("attempts-\(UUID().uuidString)")
    private let experiments: [Experiment]
    private let paper: String

    public init(_ experiments: [Experiment], paper: String) {
        self.experiments = experiments
        self.paper = paper
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    public func store(_ name: String) -> RunStore { RunStore(root: root.appendingPathComponent(name)) }

    /// One attempt, one run at a time, into store `name`.
    @discardableResult
    public func run(_ name: String, stopAt checkpoints: Int? = nil) -> Runner.Report {
        var runner = Runner(store: store(name), jobs: 1, interactive: false, write: { _ in })
        runner.checkpointInterval = 0
        runner.stop = checkpoints.map { StopRequest(afterCheckpoints: $0) }
        return runner.run(experiments, paper: paper)
    }

    /// Store "whole" computed with no stop, and store "stopped" by attempts stopped after each of
    /// `stops` checkpoints in turn and a last one run to the end: the reports, the stopped store's
    /// in order.
    public func wholeAndStopped(at stops: [Int]) -> (whole: Runner.Report, stopped: [Runner.Report]) {
        (run("whole"), stops.map { run("stopped", stopAt: $0) } + [run("stopped")])
    }

    /// The bytes of one of `run`'s files in store `name`.
    public func file(_ file: String, of run: RunConfig, in name: String) throws -> Data {
        try Data(contentsOf: store(name).directory(for: run).appendingPathComponent(file))
    }
}
