import Engine
import XCTest
@testable import Suite

final class ConfigCheckTests: XCTestCase {
    func testFailedConditionsAndThrownErrorsNameTheSection() {
        let check = ConfigCheck("paper section")
        XCTAssertNoThrow(try check(true, "unused"))
        XCTAssertThrowsError(try check(false, "batch must be ≥ 1, got 0")) { error in
            XCTAssertEqual("\(error)", "paper section: batch must be ≥ 1, got 0")
        }
        XCTAssertThrowsError(try check { _ = try OptimizerSpec(method: "clip-sgd", lr: 1).make() }) { error in
            XCTAssertEqual("\(error)", "paper section: optimizer 'clip-sgd' needs 'clip'")
        }
        XCTAssertNoThrow(try check { _ = try OptimizerSpec(method: .sgd, lr: 1).make() })
    }

    func testCountsNameTheFirstKeyBelowItsMinimum() {
        let check = ConfigCheck("paper section")
        XCTAssertNoThrow(try check.counts(["steps": 1, "seeds": 40], in: "quick"))
        XCTAssertThrowsError(try check.counts(["steps": 10, "seeds": 0, "batch": -1], in: "quick")) { error in
            XCTAssertEqual("\(error)", "paper section: quick.seeds must be ≥ 1, got 0")
        }
        XCTAssertThrowsError(try check.counts(["samples": 1], minimum: 2)) { error in
            XCTAssertEqual("\(error)", "paper section: samples must be ≥ 2, got 1")
        }
    }

    func testCountsAboveTheirCeilingAreNamedSoHugeValuesNeverBuildRuns() {
        let check = ConfigCheck("paper section")
        XCTAssertThrowsError(try check.counts(["steps": Int.max], in: "full")) { error in
            XCTAssertEqual("\(error)", "paper section: full.steps must be ≤ \(ConfigCheck.largestCount), got \(Int.max)")
        }
        XCTAssertNoThrow(try check.seeds(["seeds": ConfigCheck.largestSeeds]))
        XCTAssertThrowsError(try check.seeds(["seeds": ConfigCheck.largestSeeds + 1], in: "quick")) { error in
            XCTAssertEqual("\(error)", "paper section: quick.seeds must be ≤ 10000, got 10001")
        }
        // A minimum above the ceiling (windows ≥ a huge batch) is an error, not a trap.
        XCTAssertThrowsError(try check.counts(["windows": 5], minimum: Int.max))
    }

    func testDuplicateNamesAreNamed() {
        let check = ConfigCheck("paper section")
        XCTAssertNoThrow(try check.unique(["Adam", "SGD"], "method"))
        XCTAssertThrowsError(try check.unique(["Adam", "SGD", "Adam"], "method")) { error in
            XCTAssertEqual("\(error)", "paper section: method names must be unique, 'Adam' appears more than once")
        }
    }

    /// Run outside the checkout, a paper used to fall back to settings built into the binary (60
    /// steps where the YAML said 7) and `check` then proposed recording a baseline of them.
    func testAMissingOrUnreadableConfigStopsTheCommand() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("experiments.yaml")
        XCTAssertThrowsError(try ConfigFile.load([String: Int].self, from: file)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(file.path) not found"), "\(error)")
            XCTAssertTrue("\(error)".contains("--root"), "\(error)")
        }
        try Data([0x73, 0x3A, 0x20, 0xFF, 0xFE]).write(to: file)
        XCTAssertThrowsError(try ConfigFile.load([String: Int].self, from: file)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(file.path): not UTF-8 text"), "\(error)")
        }
    }
}
