import Engine
import Foundation

/// Facts about where a run executes, recorded in its summary.
enum RunEnvironment {
    /// The commit of the checkout in the current directory, if it is a git work tree.
    static let gitCommit: String? = {
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

    static func timestamp() -> String {
        let f = ISO8601DateFormatter()
        return f.string(from: Date())
    }
}
