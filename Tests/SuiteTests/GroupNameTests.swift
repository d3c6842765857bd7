import XCTest
@testable import Suite

final class GroupNameTests: XCTestCase {
    func testTwoLevelNamesRoundTripEvenWhenTheInnerValueHasSpacesAndEquals() {
        let group = GroupName.make("noise", "alpha-stable(1.5)", "method", "MV-SignSGD M=3")
        XCTAssertEqual(group, "noise=alpha-stable(1.5) method=MV-SignSGD M=3")
        let parsed = GroupName.parse(group, "noise", "method")
        XCTAssertEqual(parsed?.outer, "alpha-stable(1.5)")
        XCTAssertEqual(parsed?.inner, "MV-SignSGD M=3")
        XCTAssertNil(GroupName.parse("method=Adam", "noise", "method"))
    }

    func testSlugKeepsAsciiLettersAndDigitsOnly() {
        XCTAssertEqual(GroupName.slug("alpha-stable(1.5)"), "alpha-stable-1-5")
        XCTAssertEqual(GroupName.slug("student-t(1.5)"), "student-t-1-5")
        XCTAssertEqual(GroupName.slug("alpha-stable(1.5,σ=0.001)"), "alpha-stable-1-5-sigma-0-001")
        XCTAssertEqual(GroupName.slug("κ=1.5 ü"), "kappa-1-5")
    }
}
