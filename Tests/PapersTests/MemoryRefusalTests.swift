import Foundation
import XCTest

/// `repro run` of recommender training under a memory limit below its estimate: every run is
/// refused before its first step with the estimate, the limit and the way out, the command exits
/// with status 1, and the store holds none of them.
final class MemoryRefusalTests: XCTestCase {
    func testRunsAboveTheMemoryLimitAreRefusedWithTheEstimateAndTheLimit() throws {
        let results = FileManager.default.temporaryDirectory.appendingPathComponent("memory-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: results) }
        let process = Process()
        process.executableURL = try ReproBinary.url()
        process.arguments = ["run", "ssm-recsys", "--experiment", "quality", "--seeds", "1", "--jobs", "1", "--memory-limit", "2M",
                             "--root", ReproBinary.project.path, "--results", results.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let log = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()

        XCTAssertEqual(process.terminationStatus, 1, log)
        for model in ["SASRec", "Mamba4Rec", "GRU4Rec"] {
            XCTAssertTrue(log.contains("quality/model=\(model) seed 0: needs about"), "\(model) not refused: \(log)")
        }
        XCTAssertTrue(log.contains("more than the 2.00 MiB one run may take here (--memory-limit 2.00 MiB)"), log)
        XCTAssertTrue(log.contains("refused before its first step") && log.contains("or none to skip the check"), log)
        // Only the popularity ranking, which trains nothing, finished; refused runs leave nothing.
        let quality = results.appendingPathComponent("ssm-recsys/quality")
        let left = try FileManager.default.contentsOfDirectory(atPath: quality.path)
        XCTAssertEqual(left.count, 1, "\(left)")
        XCTAssertFalse(left.contains { $0.hasPrefix(".tmp") }, "\(left)")
    }

    func testAMemoryLimitThatIsNoSizeIsAUsageError() throws {
        let process = Process()
        process.executableURL = try ReproBinary.url()
        process.arguments = ["run", "ssm-recsys", "--memory-limit", "plenty", "--root", ReproBinary.project.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let log = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 2, log)
        XCTAssertTrue(log.contains("--memory-limit: 'plenty' is not a size"), log)
    }
}
