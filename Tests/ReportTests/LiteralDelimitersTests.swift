import XCTest
@testable import Suite
@testable import Report

final class LiteralDelimitersTests: XCTestCase {
    func testSubscriptsAndStarsThatGitHubShowsAsTypedStayLiteral() {
        XCTAssertEqual(LiteralDelimiters.escape("|x_k − x*|² = 2(f(x_k) − f*); we plot f(x_k) − f*"),
                       "|x&#95;k − x&#42;|² = 2(f(x&#95;k) − f&#42;); we plot f(x&#95;k) − f&#42;")
    }

    func testEmphasisBulletsBoldAndCodeAreLeftForInk() {
        let markdown = "- *Gradient Clipping*, _the_ paper, **bold**\n* item with `x_k * y` in code\n\n```\na_b *c\n```"
        XCTAssertEqual(LiteralDelimiters.escape(markdown), markdown)
    }

    func testEmphasisMaySpanTheLinesOfOneParagraphButNotTwoParagraphs() {
        XCTAssertEqual(LiteralDelimiters.escape("*Improves\nAdaGrad*"), "*Improves\nAdaGrad*")
        XCTAssertEqual(LiteralDelimiters.escape("*open\n\nclose*"), "&#42;open\n\nclose&#42;")
    }
}
