import Engine
import Foundation

/// Facts about where a run executes, recorded in its summary.
public enum RunEnvironment {
    /// The commit of the checkout in the current directory, if it is a git work tree; a sweep's
    /// job script sets `REPRO_GIT_COMMIT` to the commit its copied binary was built at, since the
    /// checkout may move on while the jobs run.
    public static let gitCommit: String? = {
        if let stamped = ProcessInfo.processInfo.environment["REPRO_GIT_COMMIT"], !stamped.isEmpty { return stamped }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "rev-parse", "--short=12", "HEAD"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }()

    package static func timestamp(_ date: Date = Date()) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}
