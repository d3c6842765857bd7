import Foundation
import InputFuzzing
import XCTest
@testable import Suite
import TestSupport

/// Paths are checked once, before any work, with one error naming the option or variable.
final class WorkspacePathsTests: XCTestCase {
    func paths(root: String? = nil, results: String? = nil, plots: String? = nil, environment: [String: String] = [:],
               in directory: String, write: Bool = true) throws -> WorkspacePaths {
        try WorkspacePaths(root: root, results: results, plots: plots, environment: environment, currentDirectory: directory,
                           resultsUse: write ? .write : .read, plotsUse: .read)
    }

    func assertRefused(_ expression: @autoclosure () throws -> WorkspacePaths, mentioning words: [String],
                       file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try expression(), file: file, line: line) { error in
            let text = "\(error)"
            for word in words { XCTAssertTrue(text.contains(word), "\(text) should mention \(word)", file: file, line: line) }
            XCTAssertEqual((error as? SuiteError)?.kind, .input, file: file, line: line)
        }
    }

    func testDefaultsAreTheCheckoutsFolders() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let p = try paths(in: sandbox.root.path)
        XCTAssertEqual(p.results.path, sandbox.root.appendingPathComponent("results").path)
        XCTAssertEqual(p.plots.path, sandbox.root.appendingPathComponent("plots").path)
        XCTAssertEqual(try paths(environment: ["REPRO_RESULTS": "/tmp/elsewhere"], in: sandbox.root.path).results.path, "/tmp/elsewhere")
    }

    func testEmptyResultsNeverMakeTheCheckoutTheStore() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        assertRefused(try paths(results: "", in: sandbox.root.path), mentioning: ["--results is empty"])
        assertRefused(try paths(environment: ["REPRO_RESULTS": ""], in: sandbox.root.path), mentioning: ["$REPRO_RESULTS is empty"])
        assertRefused(try paths(plots: " ", in: sandbox.root.path), mentioning: ["--plots is empty"])
        assertRefused(try paths(root: "", in: sandbox.root.path), mentioning: ["--root is empty"])
    }

    func testAFileWhereAFolderBelongsIsRefused() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let file = sandbox.root.appendingPathComponent("notes.txt")
        try Data("keep".utf8).write(to: file)
        assertRefused(try paths(results: file.path, in: sandbox.root.path, write: false), mentioning: ["--results", file.path, "is a file"])
        assertRefused(try paths(plots: file.path, in: sandbox.root.path), mentioning: ["--plots", file.path, "is a file"])
        assertRefused(try paths(results: file.appendingPathComponent("store").path, in: sandbox.root.path),
                      mentioning: ["cannot be created", file.path])
    }

    func testAStoreThatCannotBeWrittenIsRefusedBeforeAnyRun() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let locked = sandbox.root.appendingPathComponent("locked")
        if getuid() == 0 {
            // Root writes through permissions: a read-only mount is what refuses it.
            try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: true)
            guard mount(locked.path) else { throw XCTSkip("mount -t tmpfs -o ro failed; cannot make a read-only folder as root here") }
        } else {
            try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: true)
            XCTAssertEqual(chmod(locked.path, 0o555), 0)
        }
        defer { if getuid() == 0 { _ = runTool("/bin/umount", [locked.path]) } else { chmod(locked.path, 0o755) } }
        assertRefused(try paths(results: locked.appendingPathComponent("store").path, in: sandbox.root.path), mentioning: ["--results", "not writable"])
        XCTAssertNoThrow(try paths(results: locked.path, in: sandbox.root.path, write: false), "readers may read a read-only store")
    }

    func testOutsideACheckoutTheCommandRefusesInsteadOfUsingBuiltInSettings() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("no-checkout-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        assertRefused(try paths(in: empty.path), mentioning: ["no reproductions/ folder in \(empty.path)", "the current directory", "--root"])
        assertRefused(try paths(environment: ["REPRO_ROOT": empty.path], in: "/"), mentioning: ["$REPRO_ROOT", empty.path])
        XCTAssertEqual(try paths(root: projectRoot.path, in: empty.path).root.path, projectRoot.path)
    }

    private func mount(_ path: String) -> Bool { runTool("/bin/mount", ["-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", path]) == 0 }
}
