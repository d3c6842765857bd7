import Engine
import Foundation
import XCTest
@testable import Suite

final class ClaimResultTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("claims-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func results(_ experiments: [String] = []) -> ResultSet {
        let runs = experiments.map { Experiment(id: $0, title: $0, runs: [], execute: { _, _ in }) }
        return ResultSet(paper: "p", scale: .full, experiments: runs, store: RunStore(root: folder))
    }

    func comparison(_ lower: Double, _ upper: Double) -> Comparison {
        Comparison("q", Estimate(value: (lower + upper) / 2, lower: lower, upper: upper, method: "test"), .below, 1, runs: [3, 3])
    }

    func testAResultShowsEachEstimateIntervalThresholdAndRuns() {
        let claim = Claim(id: "c", source: "s", statement: "t", experiments: []) { _ in
            .init([self.comparison(0.5, 0.7), self.comparison(0.5, 1.5)], note: "chosen by validation")
        }
        let result = ClaimResult.evaluate(claim, on: results())
        XCTAssertEqual(result.measured, "q 0.6 [0.5, 0.7], needs < 1 (holds); q 1 [0.5, 1.5], needs < 1 (inconclusive); chosen by validation")
        XCTAssertEqual(result.runs, "3 vs 3")
        XCTAssertEqual(result.intervals, "test")
        XCTAssertEqual(result.decision, .inconclusive)
        XCTAssertEqual(result.reason, "the 95 % interval of q reaches its threshold")
    }

    /// The claims file keeps what the runs decided, not the verdict: read back, a result is judged
    /// with the deviation the code declares now, so a file written before a deviation was declared
    /// (or its reason reworded) still gets today's expectation.
    func testAWrittenResultIsJudgedWithTheDeviationDeclaredNow() throws {
        let failing = Claim(id: "c", source: "s", statement: "t", experiments: []) { _ in .init(self.comparison(1.2, 1.4)) }
        let diverged = Claim(id: "d", source: "s", statement: "u", experiments: []) { _ in
            .init(Comparison("r", Estimate(value: .infinity, lower: 2, upper: .infinity, method: "m"), .below, 1, runs: [3, 3]))
        }
        let file = ClaimsFile(paper: "p", scale: .full, claims: [ClaimResult.evaluate(failing, on: results()), ClaimResult.evaluate(diverged, on: results())])
        let written = try file.write(into: folder, claims: [failing, diverged])
        XCTAssertEqual(written.map(\.lastPathComponent), ["claims.json", "claims.csv", "claims.md"])
        let read = try ClaimsFile.read(written[0])
        XCTAssertEqual(read, file, "non-finite estimates survive the JSON")
        XCTAssertEqual(read.claims[0].verdict(knownDeviation: nil), .fails)
        XCTAssertEqual(read.claims[0].verdict(knownDeviation: "new reason"), .knownDeviation("new reason"))
    }

    /// A claim reads only the experiments it names; reading another is an error, so the declared
    /// list (what `figures` waits for) cannot fall behind what the claim reads.
    func testAClaimThatReadsAnUndeclaredExperimentIsNotEvaluated() {
        let claim = Claim(id: "c", source: "s", statement: "t", experiments: ["fit"]) { r in
            _ = try r.experiment("other")
            return .init(self.comparison(0.1, 0.2))
        }
        let result = ClaimResult.evaluate(claim, on: results(["fit", "other"]))
        XCTAssertEqual(result.decision, .notEvaluated)
        XCTAssertTrue(result.reason?.contains("no experiment 'other'") ?? false, result.reason ?? "")
        XCTAssertEqual(ClaimResult.evaluate(claim, on: results(["fit", "other"]).restricted(to: ["fit", "other"])).decision, .notEvaluated)
    }

    func testAFileFromAnotherVersionNamesItselfAndTheFix() throws {
        let url = folder.appendingPathComponent("claims.json")
        try Data(#"{"claims": "holds"}"#.utf8).write(to: url)
        XCTAssertThrowsError(try ClaimsFile.read(url)) { XCTAssertTrue("\($0)".contains("regenerate it with `repro figures`"), "\($0)") }
    }
}
