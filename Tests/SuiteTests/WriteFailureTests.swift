import Foundation
import XCTest
@testable import Suite
import TestSupport

/// A failed write ends the work with one message naming the file, the reason and the free space,
/// never a trap; the runs finished before it stay, and nothing half-written reads as finished.
final class WriteFailureTests: XCTestCase {
    func testMetricsWrittenToAFullDeviceThrowANamedError() throws {
        guard FileManager.default.isWritableFile(atPath: "/dev/full") else { throw XCTSkip("/dev/full is not available here") }
        let run = RunConfig(paper: "p", experiment: "e", group: "g", seed: 0, parameters: [:])
        let context = try RunContext(config: run, metricsFile: URL(fileURLWithPath: "/dev/full"))
        try context.log(step: 0, ["loss": 1])
        XCTAssertThrowsError(try context.flush()) { error in
            XCTAssertEqual((error as? SuiteError)?.kind, .io)
            XCTAssertTrue("\(error)".contains("cannot write /dev/full: No space left on device"), "\(error)")
        }
    }

    func testFoundationWriteErrorsAreWriteFailures() {
        let full = NSError(domain: NSCocoaErrorDomain, code: NSFileWriteOutOfSpaceError, userInfo: [NSFilePathErrorKey: "/x/summary.json"])
        let failure = SuiteError.writeFailure(full, in: URL(fileURLWithPath: "/x"))
        XCTAssertEqual(failure?.kind, .io)
        XCTAssertTrue(failure?.description.hasPrefix("cannot write /x/summary.json: No space left on device") == true, failure?.description ?? "")
        XCTAssertNil(SuiteError.writeFailure(SuiteError("a bad config"), in: URL(fileURLWithPath: "/x")), "not every error is a write")
    }

    /// On a 64 KiB tmpfs (root only), a sweep that fills it stops at the first failed write.
    func testAFullDiskStopsTheSweepAndLeavesOnlyFinishedRuns() throws {
        guard getuid() == 0 else { throw XCTSkip("mounting a size-limited tmpfs needs root; the /dev/full test covers the write path") }
        let mountPoint = FileManager.default.temporaryDirectory.appendingPathComponent("full-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: mountPoint) }
        guard runTool("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", mountPoint.path]) == 0 else {
            throw XCTSkip("mount -t tmpfs failed here (no CAP_SYS_ADMIN in this container)")
        }
        defer { _ = runTool("/bin/umount", [mountPoint.path]) }
        let runs = (0..<400).map { RunConfig(paper: "p", experiment: "fill", group: "g", seed: $0, parameters: ["x": 1]) }
        let experiment = Experiment(id: "fill", title: "fills the disk", runs: runs) { run, context in
            for step in 0..<20 { try context.log(step: step, ["value": Double(run.seed * 100 + step)]) }
        }
        let store = RunStore(root: mountPoint.appendingPathComponent("results"))
        let report = Runner(store: store, jobs: 2, interactive: false, write: { _ in }).run([experiment], paper: "p")
        let failure = try XCTUnwrap(report.writeFailure, "64 KiB cannot hold 400 runs")
        XCTAssertTrue(failure.description.contains("No space left on device") && failure.description.contains(" free there)"), failure.description)
        XCTAssertGreaterThan(report.notStarted, 0, "no run starts after the disk is full")
        XCTAssertEqual(report.failures, [], "a full disk is one write failure, not a failure per run")
        let folder = store.root.appendingPathComponent("p/fill")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        XCTAssertEqual(names.filter { $0.hasPrefix(".tmp-") }, [], "no temporary is left behind")
        for name in names { XCTAssertNotNil(store.state(of: folder.appendingPathComponent(name), key: name).summary, "\(name) is a whole run") }
        XCTAssertEqual(names.count, report.executed)
    }
}
