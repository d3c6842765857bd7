import XCTest
@testable import Suite

final class BaselineTests: XCTestCase {
    func testToleranceFollowsTheDocumentedRule() {
        // 3·s·√(1/4 + 1/4) = 3·0.2·0.7071 = 0.4243 dominates 10⁻³·|10|.
        let b = BaselineFile.MetricBaseline(mean: 10, spread: 0.2, seeds: 4, diverged: 0)
        XCTAssertEqual(Tolerance.of(b, seedsNow: 4), 0.4242641, accuracy: 1e-6)
        // Zero spread: the relative floor.
        XCTAssertEqual(Tolerance.of(.init(mean: 10, spread: 0, seeds: 1, diverged: 0), seedsNow: 1), 0.01, accuracy: 1e-12)
        XCTAssertEqual(Tolerance.of(.init(mean: 0, spread: 0, seeds: 1, diverged: 0), seedsNow: 1), 1e-9)
    }

    func testBaselineFileRoundTripsWithSortedKeys() throws {
        let file = BaselineFile(paper: "p", scale: .quick, resultFormatVersion: 1, groups: [
            "e/b": ["loss": .init(mean: 1, spread: 0.5, seeds: 2, diverged: 0)],
            "e/a": ["loss": .init(mean: .nan, spread: 0, seeds: 2, diverged: 2)],
        ])
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("baseline-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try file.write(to: url)
        let text = try String(contentsOf: url, encoding: .utf8)
        XCTAssertLessThan(try XCTUnwrap(text.range(of: "e/a")).lowerBound, try XCTUnwrap(text.range(of: "e/b")).lowerBound)
        let back = try XCTUnwrap(BaselineFile.read(from: url))
        XCTAssertEqual(back.groups["e/b"], file.groups["e/b"])
        XCTAssertTrue(back.groups["e/a"]!["loss"]!.mean.isNaN)
    }
}
