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
}
