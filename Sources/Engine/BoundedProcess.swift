import Foundation

/// An external program (gnuplot, Chromium, sbatch) run to completion or for at most `timeout`
/// seconds: a program that hangs is stopped (SIGTERM, then SIGKILL after two seconds) instead of
/// hanging the command that waits for it. Its output goes to files, not pipes, so a chatty program
/// never blocks on a pipe nobody reads yet.
public struct BoundedProcess {
    public let executable: URL
    public var arguments: [String] = []
    public var currentDirectory: URL?
    public var timeout: Double

    public struct Outcome {
        /// The exit status; nil when the program was stopped at the timeout or killed by a signal.
        public let status: Int32?
        public let timedOut: Bool
        public let output: String, errors: String
        public var succeeded: Bool { status == 0 }
    }

    public init(_ executable: URL, arguments: [String] = [], in currentDirectory: URL? = nil, timeout: Double) {
        self.executable = executable
        self.arguments = arguments
        self.currentDirectory = currentDirectory
        self.timeout = timeout
    }

    public func run() throws -> Outcome {
        let fm = FileManager.default
        let scratch = fm.temporaryDirectory.appendingPathComponent("repro-process-\(UUID().uuidString)")
        try fm.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("stdout"), err = scratch.appendingPathComponent("stderr")
        try Data().write(to: out)
        try Data().write(to: err)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stopped = StopFlag()
        let watchdog = DispatchWorkItem {
            guard process.isRunning else { return }
            stopped.set()
            // Its children too: a script's `sleep` or a browser's helpers keep the descriptor that
            // tells Foundation the program ended, so stopping the program alone waited for them.
            let tree = [process.processIdentifier] + Self.descendants(of: process.processIdentifier)
            for pid in tree { kill(pid, SIGTERM) }
            DispatchQueue.global().asyncAfter(deadline: .now() + 2) { for pid in tree { kill(pid, SIGKILL) } }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        process.waitUntilExit()
        watchdog.cancel()
        let read = { (url: URL) in (try? String(contentsOf: url, encoding: .utf8)) ?? "" }
        return Outcome(status: process.terminationReason == .exit ? process.terminationStatus : nil, timedOut: stopped.isSet,
                       output: read(out), errors: read(err))
    }

    /// The processes started by `pid` and theirs, from Linux's /proc (none elsewhere).
    static func descendants(of pid: Int32) -> [Int32] {
        let task = "/proc/\(pid)/task"
        let threads = (try? FileManager.default.contentsOfDirectory(atPath: task)) ?? []
        let children = threads.flatMap { thread -> [Int32] in
            let text = (try? String(contentsOfFile: "\(task)/\(thread)/children", encoding: .utf8)) ?? ""
            return text.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        return children + children.flatMap(descendants)
    }

    private final class StopFlag: @unchecked Sendable {
        private var value = false
        private let lock = NSLock()
        func set() { lock.withLock { value = true } }
        var isSet: Bool { lock.withLock { value } }
    }
}
