import Dispatch
import Foundation

/// A writer's sign of life in its temporary run folder: the file `heartbeat`, touched every
/// `interval` seconds while the run computes. A process on this host is known alive or gone by its
/// pid; a writer on another node (a Slurm task killed on one node and requeued on another) only by
/// this file, so a folder whose heartbeat is older than `RunStore.heartbeatTimeout` belongs to a
/// gone writer, and its checkpoint is continued.
final class Heartbeat: @unchecked Sendable {
    static let name = "heartbeat"
    private let file: URL
    private let timer: DispatchSourceTimer
    /// Held while the file is touched, so that once `stop` returns no beat recreates it.
    private let lock = NSLock()
    private var stopped = false

    init(in folder: URL, interval: Double) {
        file = folder.appendingPathComponent(Self.name)
        timer = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
        beat()
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [weak self] in self?.beat() }
        timer.resume()
    }

    /// Stops beating and removes the file (a finished or stopped run has no writer to show).
    func stop() {
        lock.withLock {
            stopped = true
            timer.cancel()
            try? FileManager.default.removeItem(at: file)
        }
    }

    /// Creates the file or sets its times to now.
    private func beat() {
        lock.withLock {
            guard !stopped else { return }
            let descriptor = open(file.path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { return }
            _ = futimens(descriptor, nil)
            close(descriptor)
        }
    }
}
