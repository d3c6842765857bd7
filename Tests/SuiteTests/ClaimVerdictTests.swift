import XCTest
@testable import Suite

final class ClaimVerdictTests: XCTestCase {
    func testOutcomeAndDeclaredDeviationGiveTheVerdictCheckExpects() {
        XCTAssertEqual(ClaimVerdict(passed: true, knownDeviation: nil), .holds)
        XCTAssertEqual(ClaimVerdict(passed: false, knownDeviation: nil), .fails)
        XCTAssertEqual(ClaimVerdict(passed: false, knownDeviation: "too few seeds"), .knownDeviation("too few seeds"))
        XCTAssertEqual(ClaimVerdict(passed: true, knownDeviation: "too few seeds"), .deviationNowHolds("too few seeds"))
        XCTAssertEqual([ClaimVerdict.holds, .knownDeviation("r"), .inconclusive("r"), .fails, .deviationNowHolds("r"), .notEvaluated("e")].map(\.isAsExpected),
                       [true, true, true, false, false, false])
    }

    func testClaimsTableTextReadsBackWithTheDeviationTheCodeDeclaresNow() {
        for verdict in [ClaimVerdict.holds, .fails, .knownDeviation("r"), .deviationNowHolds("r")] {
            let deviation: String? = { if case .knownDeviation = verdict { return "r" }; if case .deviationNowHolds = verdict { return "r" }; return nil }()
            XCTAssertEqual(ClaimVerdict(tableText: verdict.tableText, knownDeviation: deviation, detail: ""), verdict, verdict.tableText)
        }
        XCTAssertEqual(ClaimVerdict(tableText: "does not hold (known deviation: old reason)", knownDeviation: "new reason", detail: ""),
                       .knownDeviation("new reason"))
        XCTAssertEqual(ClaimVerdict(tableText: "not evaluated", knownDeviation: nil, detail: "no runs"), .notEvaluated("no runs"))
        XCTAssertNil(ClaimVerdict(tableText: "maybe", knownDeviation: nil, detail: ""))
    }
}
