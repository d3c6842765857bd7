import Engine
import Foundation

/// Progress of a batch of runs on stderr: a redrawn bar with runs done/total, ETA and the current
/// run on a terminal; one plain line per finished run otherwise (logs, CI).
public final class ProgressReporter: @unchecked Sendable {
    private let total: Int
    private let interactive: Bool
    private let start = Date()
    private let lock = NSLock()
    private var done = 0
    private var current: [String] = []
    private let write: (String) -> Void

    public init(total: Int, interactive: Bool = isatty(STDERR_FILENO) == 1, write: @escaping (String) -> Void = { StandardStreams.diagnostic($0) }) {
        self.total = total
        self.interactive = interactive
        self.write = write
    }

    public func started(_ label: String) {
        lock.lock(); defer { lock.unlock() }
        current.append(label)
        if interactive { redraw() }
    }

    public func finished(_ label: String, note: String) {
        lock.lock(); defer { lock.unlock() }
        done += 1
        current.removeAll { $0 == label }
        if interactive {
            redraw()
        } else {
            write("[\(done)/\(total)] \(label): \(note) (elapsed \(Self.duration(Date().timeIntervalSince(start))))\n")
        }
    }

    public func close() {
        if interactive { write("\n") }
    }

    private func redraw() {
        let width = 24
        let filled = total == 0 ? width : width * done / total
        let elapsed = Date().timeIntervalSince(start)
        let eta = done == 0 ? "?" : Self.duration(elapsed / Double(done) * Double(total - done))
        var line = "\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] \(done)/\(total) runs, ETA \(eta)"
        if let now = current.last { line += ", running \(now)" }
        write(line.count > 140 ? String(line.prefix(140)) : line.padding(toLength: 140, withPad: " ", startingAt: 0))
    }

    /// "45 s", "12 min 5 s", "2 h 35 min": progress lines and the report say durations alike.
    package static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min \(s % 60) s" }
        return "\(s / 3600) h \(s % 3600 / 60) min"
    }
}
