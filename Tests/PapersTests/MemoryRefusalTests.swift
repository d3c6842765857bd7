import Foundation
import XCTest

/// `repro run` of recommender training under a memory limit below its estimate: every run is
/// refused before its first step with the estimate, the limit and the way out, the command exits
/// with status 1, and the store holds none of them.
final class MemoryRefusalTests: XCTestCase {
    func testRunsAboveTheMemoryLimitAreRefusedWithTheEstimateAndTheLimit() throws {
        let results = FileManager.default.temporaryDirectory.appendingPathComponent("memory-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: results) }
        let (status, log) = try ReproBinary.run(["run", "ssm-recsys", "--experiment", "quality", "--seeds", "1", "--jobs", "1", "--memory-limit", "2M",
                                                 "--root", ReproBinary.project.path, "--results", results.path])
        XCTAssertEqual(status, 1, log)
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
        let (status, log) = try ReproBinary.run(["run", "ssm-recsys", "--memory-limit", "plenty", "--root", ReproBinary.project.path])
        XCTAssertEqual(status, 2, log)
        XCTAssertTrue(log.contains("--memory-limit: 'plenty' is not a size"), log)
    }
}
