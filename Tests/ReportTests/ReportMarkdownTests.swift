import XCTest
@testable import Suite
@testable import Report

final class ReportMarkdownTests: XCTestCase {
    func testWebLinksStayAndRepositoryLinksAndImagesBecomeText() {
        let html = ReportMarkdown.html("See [the paper](https://arxiv.org/abs/2406.04443), [the code](../../Sources/X.swift) and ![a plot](x.png).")
        XCTAssertEqual(html, #"<p>See <a href="https://arxiv.org/abs/2406.04443">the paper</a>, the code and <em>[a plot]</em>.</p>"#)
    }

    func testTablesRenderWithTheirTitle() {
        XCTAssertEqual(ReportMarkdown.html("**final loss**\n\n| method | q0.5 |\n| --- | --- |\n| SGD | 0.5 |\n"),
                       "<p><strong>final loss</strong></p><table><thead><tr><th>method</th><th>q0.5</th></tr></thead><tbody><tr><td>SGD</td><td>0.5</td></tr></tbody></table>")
    }
}
