import Demo
import Foundation
import XCTest
@testable import Suite
import TestSupport
@testable import Report

final class ReportLinkCheckTests: XCTestCase {
    func testDemoReportLoadsNothingFromOutsideItself() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try sandbox.commitDemoOutputs()
        try sandbox.runDemoQuick()
        let page = try sandbox.workspace().report([LeastSquaresDemo()]).page

        let result = ReportLinkCheck.check(site: page.deletingLastPathComponent())
        XCTAssertEqual(result.problems, [])
        XCTAssertEqual(result.webLinks, [], "the demo names no paper or code on the web, so every src and href is local")
        let html = try String(contentsOf: page, encoding: .utf8)
        XCTAssertTrue(html.contains(#"href="style.css""#) && html.contains(#"src="figures/demo-least-squares/full/loss.svg""#),
                      "the check saw the stylesheet and the figure")
    }

    func testEveryKindOfReferenceFromElsewhereIsNamed() throws {
        let site = FileManager.default.temporaryDirectory.appendingPathComponent("link-check-\(UUID().uuidString)/site")
        try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: site.deletingLastPathComponent()) }
        try Data("<svg/>".utf8).write(to: site.appendingPathComponent("ok.svg"))
        try Data("<svg/>".utf8).write(to: site.deletingLastPathComponent().appendingPathComponent("outside.svg"))
        try Data("@import \"https://cdn.example/base.css\";\nbody { background: url('ok.svg'); }\n".utf8).write(to: site.appendingPathComponent("style.css"))
        try Data("""
        <!doctype html><html><head>
        <link rel="stylesheet" href="style.css"><link rel="stylesheet" href="https://cdn.example/x.css">
        <script src="//cdn.example/a.js"></script>
        </head><body style="background: url(http://cdn.example/bg.png)">
        <img src="ok.svg"><img src="missing.svg"><img src="../outside.svg"><img srcset="ok.svg 1x, https://cdn.example/y.svg 2x">
        <h1 id="here">x</h1><a href="#here">fine</a><a href="#nowhere">broken</a>
        <a href="https://arxiv.org/abs/2406.04443">paper</a><a href="javascript:alert(1)">script</a><a href="/etc/passwd">rooted</a>
        </body></html>
        """.utf8).write(to: site.appendingPathComponent("index.html"))

        let result = ReportLinkCheck.check(site: site)
        XCTAssertEqual(result.webLinks, ["https://arxiv.org/abs/2406.04443"])
        let expected = [
            #"<link href="https://cdn.example/x.css">: not a relative path"#,
            #"<script src="//cdn.example/a.js">: not a relative path"#,
            "url(http://cdn.example/bg.png): not a relative path",
            #"<img src="missing.svg">: no such file in the report"#,
            #"<img src="../outside.svg">: points outside the report folder"#,
            #"<img srcset="ok.svg 1x, https://cdn.example/y.svg 2x">: not a relative path"#,
            ##"<a href="#nowhere">: no element of this page has that id"##,
            #"<a href="javascript:alert(1)">: neither a relative path nor a web address"#,
            #"<a href="/etc/passwd">: neither a relative path nor a web address"#,
            "style.css: url(https://cdn.example/base.css): not a relative path",
        ]
        for problem in expected {
            XCTAssertTrue(result.problems.contains { $0.contains(problem) }, "missing: \(problem)\nfound:\n\(result.problems.joined(separator: "\n"))")
        }
        XCTAssertEqual(result.problems.count, expected.count, result.problems.joined(separator: "\n"))
    }
}
