import Dispatch
import Engine
import Foundation
import Glibc

/// A request to stop work at the next safe point, from SIGINT or SIGTERM (what Ctrl-C and Slurm,
/// at a time limit or on preemption, send). Runs that checkpoint save their state there and stop;
/// other runs in flight stop and are discarded; no new run starts. A second Ctrl-C stops at once.
public final class StopRequest: @unchecked Sendable {
    private let lock = NSLock()
    private var received: Int32?
    private var checkpointsLeft: Int?
    /// Runners computing runs now: a signal while none is stops the command at once, since no run
    /// is in flight (runs, reports and baselines are written whole or not at all).
    private var workers = 0

    /// A request nothing triggers but `request(_:)`; with `afterCheckpoints`, the run's n-th
    /// checkpoint triggers it (SIGTERM): how tests interrupt a run at a chosen point.
    public init(afterCheckpoints: Int? = nil) { checkpointsLeft = afterCheckpoints }

    /// The signal that asked to stop, nil while none has.
    public var signal: Int32? { lock.withLock { received } }

    public func request(_ signal: Int32) { lock.withLock { if received == nil { received = signal } } }

    func working(_ started: Bool) { lock.withLock { workers += started ? 1 : -1 } }

    var isWorking: Bool { lock.withLock { workers > 0 } }

    /// Called by a run at each checkpoint, before it decides whether to stop.
    func checkpointReached() {
        lock.withLock {
            guard let left = checkpointsLeft else { return }
            checkpointsLeft = left - 1
            if left - 1 <= 0 && received == nil { received = SIGTERM }
        }
    }

    /// The one request of this process, fed by SIGINT and SIGTERM from the first call on. Signals
    /// are process-wide, so this one object is: the handlers cannot be per command.
    public static var signals: StopRequest {
        listener.start()
        return listener.request
    }

    private static let listener = SignalListener()

    private final class SignalListener: @unchecked Sendable {
        let request = StopRequest()
        private var sources: [DispatchSourceSignal] = []
        private let lock = NSLock()

        func start() {
            lock.withLock {
                guard sources.isEmpty else { return }
                for number in [SIGINT, SIGTERM] {
                    // A handler that does nothing, not SIG_IGN: programs started later (gnuplot,
                    // Chromium) would inherit an ignored signal and could not be stopped by it.
                    Glibc.signal(number) { _ in }
                    let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                    source.setEventHandler { [request] in
                        let name = number == SIGINT ? "SIGINT" : "SIGTERM"
                        // Slurm signals every process of a task, and the task's script passes its
                        // own signal on: a repeated SIGTERM is the same stop, only Ctrl-C twice is "now".
                        if request.signal != nil && number == SIGTERM { return }
                        if request.signal != nil {
                            StandardStreams.diagnostic("\n\(name) again: stopping now; runs in flight are lost, finished runs and saved checkpoints stay\n")
                            exit(128 + number)
                        }
                        guard request.isWorking else {
                            StandardStreams.diagnostic("\n\(name): stopped; no run was in flight\n")
                            exit(128 + number)
                        }
                        request.request(number)
                        StandardStreams.diagnostic("\n\(name): stopping at the next safe point; runs that checkpoint save their state there "
                                                   + "(Ctrl-C again stops at once)\n")
                    }
                    source.resume()
                    sources.append(source)
                }
            }
        }
    }
}

/// Raised by `RunContext` when a stop was requested: after the run saved its checkpoint
/// (`saved`), or at a logged row of a run that does not checkpoint.
public struct RunInterrupted: Error, CustomStringConvertible {
    public let signal: Int32
    public let saved: Bool
    public var description: String { saved ? "stopped after saving a checkpoint" : "stopped; nothing saved" }
}
