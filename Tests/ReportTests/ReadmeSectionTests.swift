import XCTest
@testable import Suite
@testable import Report

final class ReadmeSectionTests: XCTestCase {
    func testSectionRunsToTheNextHeadingOfItsLevelAndIgnoresHashesInCode() {
        let readme = "# P\n\n## Deviations from the paper, and why\n\n- a\n\n### detail\n\n```\n## not a heading\n```\n\n## Next\n\nb\n"
        XCTAssertEqual(ReadmeSection.body(of: readme, headingStartingWith: "deviations"),
                       "- a\n\n### detail\n\n```\n## not a heading\n```")
        XCTAssertNil(ReadmeSection.body(of: readme, headingStartingWith: "Results"))
    }
}
