import Foundation

/// The first executable called `name` in the folders of `$PATH` (or `name` itself when it is an
/// absolute path), as a shell would find it; nil when there is none.
public func executableOnPath(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
    if name.hasPrefix("/") { return FileManager.default.isExecutableFile(atPath: name) ? URL(fileURLWithPath: name) : nil }
    for dir in (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    return nil
}
