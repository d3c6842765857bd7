import Foundation
import XCTest

/// The `repro` command line tool the tests run as a user would, and the project it runs in.
enum ReproBinary {
    static let project = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The binary built beside the tests; the test is skipped when there is none.
    static func url() throws -> URL {
        // The tests' bundle is the build folder itself on Linux, a .xctest inside it on macOS.
        let bundle = Bundle(for: Marker.self).bundleURL
        let candidates = [bundle, bundle.deletingLastPathComponent()].map { $0.appendingPathComponent("repro") }
        guard let binary = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw XCTSkip("no repro binary beside the tests (\(candidates.map(\.path).joined(separator: ", ")))")
        }
        return binary
    }

    /// Runs the binary with `arguments` to its end: its exit status and what it wrote to stderr.
    static func run(_ arguments: [String]) throws -> (status: Int32, errors: String) {
        let process = Process()
        process.executableURL = try url()
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    private final class Marker {}
}
