import Foundation
import XCTest

/// `repro run` stopped by SIGTERM (what Slurm sends at a time limit or on preemption): it stops
/// at the running run's next checkpoint, says what finished and what was saved, exits with
/// 128 + 15, and leaves the checkpoint for the next attempt; no unfinished run reads as finished.
final class InterruptionTests: XCTestCase {
    func testSIGTERMStopsAtACheckpointWithAMessageAndStatus143() throws {
        let binary = try ReproBinary.url()
        let results = FileManager.default.temporaryDirectory.appendingPathComponent("sigterm-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: results) }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["run", "ssm-recsys", "--experiment", "quality", "--seeds", "1", "--jobs", "1",
                             "--root", ReproBinary.project.path, "--results", results.path]
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("sigterm-\(UUID().uuidString).log")
        try Data().write(to: errors)
        defer { try? FileManager.default.removeItem(at: errors) }
        process.standardError = try FileHandle(forWritingTo: errors)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Stop once a model that trains is in its epochs (a row of its metrics.csv is written).
        let quality = results.appendingPathComponent("ssm-recsys/quality")
        let deadline = Date().addingTimeInterval(300)
        while process.isRunning && Date() < deadline && !trainingStarted(in: quality) { Thread.sleep(forTimeInterval: 0.2) }
        XCTAssertTrue(process.isRunning, "the sweep ended before a training run started")
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()

        let log = try String(contentsOf: errors, encoding: .utf8)
        XCTAssertEqual(process.terminationReason, .exit, log)
        XCTAssertEqual(process.terminationStatus, 143, log)
        XCTAssertTrue(log.contains("SIGTERM: stopping at the next safe point"), log)
        XCTAssertTrue(log.contains("stopped by SIGTERM") && log.contains("saved at a checkpoint") && log.contains("Run the same command again"), log)
        let stopped = try FileManager.default.contentsOfDirectory(atPath: quality.path).filter { $0.contains("-stopped-") }
        XCTAssertEqual(stopped.count, 1, "one run saved its checkpoint")
        XCTAssertTrue(FileManager.default.fileExists(atPath: quality.appendingPathComponent(stopped[0]).appendingPathComponent("checkpoint.bin").path))
    }

    /// Whether a temporary run folder under `folder` has a logged row of a training epoch.
    private func trainingStarted(in folder: URL) -> Bool {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasPrefix(".tmp-") }.contains { name in
            let text = (try? String(contentsOf: folder.appendingPathComponent(name).appendingPathComponent("metrics.csv"), encoding: .utf8)) ?? ""
            return text.split(separator: "\n").count >= 2 && text.hasPrefix("step,epoch,train_loss")
        }
    }
}
