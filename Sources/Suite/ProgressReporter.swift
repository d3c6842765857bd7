import Engine
import Foundation

/// Progress of a batch of runs on stderr.
///
/// On a terminal, one line redrawn in place: runs done/total, elapsed, ETA, failures so far, and
/// the running run with its own progress (its last logged row, and its ETA when it said how many
/// rows it logs). Elsewhere (Slurm logs, CI), plain lines at a bounded rate: one when a run fails,
/// diverges or stops, and otherwise at most one every `interval` seconds with the same counts, so
/// thousands of short runs do not make thousands of lines while a 45-minute run still reports. The
/// ETA comes from the runs finished so far and, before any has, from the wall time of the same
/// experiment's stored runs.
public final class ProgressReporter: @unchecked Sendable {
    /// How much is said.
    public enum Verbosity: Sendable {
        /// Only failures, divergences and stops.
        case quiet
        /// The live line on a terminal, bounded-rate lines elsewhere.
        case normal
        /// Also a line per finished run, per logged row of a running run and per note (a memory
        /// estimate), above the live line on a terminal.
        case verbose
    }

    private let total: Int
    private let interactive: Bool
    private let verbosity: Verbosity
    private let interval: Double
    /// Seconds a run is expected to take before any has finished here, and the runs in parallel.
    private let expectedSeconds: Double?
    private let jobs: Int
    private let now: () -> Date
    private let start: Date
    private var lastLine: Date
    private let lock = NSLock()
    private var done = 0, failed = 0
    private var current: [String] = []
    /// Each running run's start and its last reported progress.
    private var runs: [String: (started: Date, progress: String?)] = [:]
    private let write: (String) -> Void

    public init(total: Int, interactive: Bool = isatty(STDERR_FILENO) == 1, verbosity: Verbosity = .normal, interval: Double = 30,
                expectedSeconds: Double? = nil, jobs: Int = 1, now: @escaping () -> Date = Date.init,
                write: @escaping (String) -> Void = { StandardStreams.diagnostic($0) }) {
        self.total = total
        self.interactive = interactive
        self.verbosity = verbosity
        self.interval = interval
        self.expectedSeconds = expectedSeconds
        self.jobs = max(1, jobs)
        self.now = now
        start = now()
        lastLine = start
        self.write = write
    }

    public func started(_ label: String) {
        lock.lock(); defer { lock.unlock() }
        current.append(label)
        runs[label] = (now(), nil)
        if interactive && verbosity != .quiet { redraw() }
    }

    /// A running run's own progress: its last logged row ("step 950, epoch 10, train_loss 7.5") and
    /// the fraction of its rows this attempt has logged, when it knows (`fraction`); its ETA is a
    /// bound, since a run may stop early.
    public func progress(_ label: String, _ text: String, fraction: Double?) {
        lock.lock(); defer { lock.unlock() }
        guard let run = runs[label] else { return }
        let elapsed = now().timeIntervalSince(run.started)
        let eta = fraction.flatMap { f in f > 0 && f < 1 ? ", ETA ≤ \(Self.duration(elapsed / f * (1 - f)))" : nil } ?? ""
        runs[label] = (run.started, text + eta)
        switch (interactive, verbosity) {
        case (_, .quiet): return
        case (true, .verbose):
            write(Self.padded("\r  \(label): \(text + eta)") + "\n")
            redraw()
        case (true, _): redraw()
        case (false, .verbose): write("  \(label): \(text + eta)\n")
        case (false, .normal):
            guard now().timeIntervalSince(lastLine) >= interval else { return }
            lastLine = now()
            write("\(summary()); \(label): \(text + eta)\n")
        }
    }

    /// A fact about a running run (its memory estimate, say), said only with `--verbose`.
    public func note(_ label: String, _ text: String) {
        lock.lock(); defer { lock.unlock() }
        guard verbosity == .verbose else { return }
        if interactive {
            write(Self.padded("\r  \(label): \(text)") + "\n")
            redraw()
        } else {
            write("  \(label): \(text)\n")
        }
    }

    /// How a run ended: a failure or divergence is counted; it and a stop are always said.
    public enum Ending: Sendable { case done, failed, stopped }

    public func finished(_ label: String, note: String, ending: Ending = .done) {
        lock.lock(); defer { lock.unlock() }
        done += 1
        if ending == .failed { failed += 1 }
        let problem = ending != .done
        current.removeAll { $0 == label }
        runs[label] = nil
        if interactive {
            if problem || verbosity == .verbose { write(Self.padded("\r\(label): \(note)") + "\n") }
            if verbosity != .quiet { redraw() }
            return
        }
        let due = now().timeIntervalSince(lastLine) >= interval || done == total
        guard problem || verbosity == .verbose || (verbosity == .normal && due) else { return }
        lastLine = now()
        write("\(summary()); \(label): \(note)\n")
    }

    public func close() {
        if interactive && verbosity != .quiet { write("\n") }
    }

    /// "[12/40] 1 min 5 s elapsed, ETA 3 min 2 s, 1 failed".
    private func summary() -> String {
        let elapsed = now().timeIntervalSince(start)
        return "[\(done)/\(total)] \(Self.duration(elapsed)) elapsed, ETA \(eta(elapsed))" + (failed > 0 ? ", \(failed) failed" : "")
    }

    private func eta(_ elapsed: Double) -> String {
        let left = Double(total - done)
        if done > 0 { return Self.duration(elapsed / Double(done) * left) }
        return expectedSeconds.map { Self.duration($0 * left / Double(jobs)) } ?? "?"
    }

    private func redraw() {
        let width = 24, filled = total == 0 ? width : width * done / total
        let elapsed = now().timeIntervalSince(start)
        var line = "\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] \(done)/\(total) runs, "
            + "\(Self.duration(elapsed)) elapsed, ETA \(eta(elapsed))" + (failed > 0 ? ", \(failed) failed" : "")
        if let running = current.last { line += ", running \(running)" + (runs[running]?.progress.map { ": \($0)" } ?? "") }
        write(Self.padded(line))
    }

    /// A line cut or padded to the terminal line's 160 columns, so a shorter one covers a longer.
    private static func padded(_ line: String) -> String {
        line.count > 160 ? String(line.prefix(160)) : line.padding(toLength: 160, withPad: " ", startingAt: 0)
    }

    /// "45 s", "12 min 5 s", "2 h 35 min": progress lines and the report say durations alike.
    package static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min \(s % 60) s" }
        return "\(s / 3600) h \(s % 3600 / 60) min"
    }
}
