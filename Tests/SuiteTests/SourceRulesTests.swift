import Foundation
import InputFuzzing
import XCTest

/// Rules on the sources that a reviewer would otherwise have to check by eye.
final class SourceRulesTests: XCTestCase {
    /// Every line of every Swift file under Sources/, with its place.
    func sourceLines() throws -> [(place: String, text: String)] {
        let sources = projectRoot.appendingPathComponent("Sources")
        var lines: [(String, String)] = []
        for case let path as String in FileManager.default.enumerator(atPath: sources.path) ?? NSEnumerator() where path.hasSuffix(".swift") {
            let text = try String(contentsOf: sources.appendingPathComponent(path), encoding: .utf8)
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                lines.append(("Sources/\(path):\(index + 1)", String(line)))
            }
        }
        XCTAssertGreaterThan(lines.count, 10_000, "the sources were found")
        return lines
    }

    /// A write that cannot throw traps when it fails (`FileHandle.write(_:)` on a full disk or a
    /// closed descriptor); a `try!` on I/O does the same. Every `.write(` is a throwing call, a
    /// checked `Glibc.write`, or builds the error of a failed write.
    func testNoWriteOrReadCanTrap() throws {
        var offenders: [String] = []
        var previous = ""
        for (place, text) in try sourceLines() {
            let code = text.components(separatedBy: "//").first ?? ""
            // A line that continues a call chain (`.write(to:)` under `try Data(…)`) has its `try` above.
            let statement = code.trimmingCharacters(in: .whitespaces).hasPrefix(".") ? previous + code : code
            defer { previous = statement }
            if code.contains("try!") && ["write", "read", "contents", "FileHandle", "FileManager", "Data("].contains(where: code.contains) {
                offenders.append("\(place): try! on I/O: \(text)")
            }
            var rest = Substring(statement)
            while let range = rest.range(of: ".write(") {
                let before = rest[..<range.lowerBound]
                let receiver = before.split(whereSeparator: { " (\t".contains($0) }).last.map(String.init) ?? ""
                // `try` as a word: "entry" or "registry" before the call must not count.
                let throwing = before.range(of: #"(^|[^A-Za-z_])try[?!]?\s"#, options: .regularExpression) != nil
                if !throwing && !["Glibc", "SuiteError"].contains(receiver) {
                    offenders.append("\(place): a write that cannot throw: \(text.trimmingCharacters(in: .whitespaces))")
                }
                rest = rest[range.upperBound...]
            }
        }
        XCTAssertEqual(offenders, [])
    }
}
