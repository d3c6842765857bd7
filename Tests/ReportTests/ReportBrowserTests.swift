import Demo
import Foundation
import XCTest
@testable import Suite
import TestSupport
@testable import Report

/// The demo's report opened in headless Chromium. A harness page (the test's, not the report's)
/// loads the report in a frame and, once it has loaded, writes into its own DOM which images and
/// stylesheets of the report failed and which verdict cells the browser sees; Chromium prints that
/// DOM. Chromium's net log lists every request the page attempted, so one to the network is seen
/// even though no host name resolves. The same harness run on a page broken on purpose must report
/// each fault, so the check is known to be able to fail.
final class ReportBrowserTests: XCTestCase {
    func testChromiumLoadsTheDemoReportWholeAndOffline() throws {
        let browser = try chromium()
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try sandbox.commitDemoOutputs()
        try sandbox.runDemoQuick()
        let page = try sandbox.workspace().report([LeastSquaresDemo()]).page

        let seen = try Harness(browser: browser, scratch: sandbox.root).open(page)
        XCTAssertEqual(seen.failedImages, [])
        XCTAssertEqual(seen.failedStylesheets, [])
        XCTAssertEqual(seen.images, 1, "the committed figure")
        XCTAssertEqual(seen.networkRequests, [], "nothing but local files")
        XCTAssertTrue(seen.summaryTables == 1, "the summary table is rendered")
        XCTAssertEqual(Set(seen.verdicts), ["adam-fits/quick holds", "sgd-wins/quick known", "adam-fits/full holds", "sgd-wins/full fails"])

        let png = sandbox.root.appendingPathComponent("report.png")
        try browser.screenshot(page, to: png, width: 800, height: 600)
        let header = try Data(contentsOf: png).prefix(24)
        XCTAssertEqual(Array(header.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG")
        XCTAssertEqual(header[16..<20].reduce(0) { $0 << 8 | Int($1) }, 800, "as wide as asked")
    }

    func testHarnessReportsAMissingImageAMissingStylesheetAndANetworkRequest() throws {
        let browser = try chromium()
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let page = sandbox.root.appendingPathComponent("broken/index.html")
        try FileManager.default.createDirectory(at: page.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("""
        <!doctype html><html><head><link rel="stylesheet" href="gone.css"></head>
        <body><img src="gone.svg"><img src="https://report-test.invalid/x.png"></body></html>
        """.utf8).write(to: page)

        let seen = try Harness(browser: browser, scratch: sandbox.root).open(page)
        XCTAssertEqual(Set(seen.failedImages), ["gone.svg", "https://report-test.invalid/x.png"])
        XCTAssertEqual(seen.failedStylesheets, ["gone.css"])
        XCTAssertEqual(seen.networkRequests, ["https://report-test.invalid/x.png"])
    }

    private func chromium() throws -> HeadlessChromium {
        guard let browser = HeadlessChromium.locate() else {
            throw XCTSkip("\(HeadlessChromium.installHint); the report's browser check is skipped")
        }
        return browser
    }
}

/// What Chromium saw of a page, through the harness and the net log.
private struct Harness {
    let browser: HeadlessChromium
    let scratch: URL

    struct Seen: Decodable {
        var images: Int
        var failedImages: [String]
        var failedStylesheets: [String]
        var summaryTables: Int
        var verdicts: [String]
        var networkRequests: [String] = []

        enum CodingKeys: String, CodingKey { case images, failedImages, failedStylesheets, summaryTables, verdicts }
    }

    func open(_ page: URL) throws -> Seen {
        let harness = scratch.appendingPathComponent("harness-\(UUID().uuidString).html")
        let netLog = scratch.appendingPathComponent("net-\(UUID().uuidString).json")
        try Data(Self.page(framing: page).utf8).write(to: harness)
        let dom = try browser.dom(of: harness, netLog: netLog, fileAccessFromFiles: true)
        guard let start = dom.range(of: #"<pre id="result">"#), let end = dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex) else {
            throw SuiteError("the harness wrote no result; Chromium printed:\n\(dom.prefix(2000))")
        }
        let json = dom[start.upperBound..<end.lowerBound].replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        var seen = try JSONDecoder().decode(Seen.self, from: Data(json.utf8))
        seen.networkRequests = try Self.pageRequests(inNetLog: netLog)
        return seen
    }

    /// The requests made for a page whose top frame is a local file, other than for local files.
    /// Chromium's own background requests carry another isolation key and are left out.
    static func pageRequests(inNetLog url: URL) throws -> [String] {
        struct NetLog: Decodable {
            struct Constants: Decodable { var logEventTypes: [String: Int] }
            struct Event: Decodable {
                struct Params: Decodable {
                    var url: String?
                    var network_isolation_key: String?
                }
                var type: Int
                var params: Params?
            }
            var constants: Constants
            var events: [Event]
        }
        let log = try JSONDecoder().decode(NetLog.self, from: Data(contentsOf: url))
        let start = log.constants.logEventTypes["URL_REQUEST_START_JOB"]
        return log.events.filter { $0.type == start && $0.params?.network_isolation_key?.hasPrefix("file://") == true }
            .compactMap { $0.params?.url }.filter { !$0.hasPrefix("file:") }
    }

    static func page(framing page: URL) -> String {
        """
        <!doctype html><html><body>
        <iframe id="report" src="\(page.absoluteString)" width="1280" height="900"></iframe>
        <script>
        document.getElementById('report').addEventListener('load', () => {
          const d = document.getElementById('report').contentDocument;
          const loaded = (sheet) => { try { return sheet && sheet.cssRules.length > 0; } catch (e) { return false; } };
          const result = {
            images: d.images.length,
            failedImages: [...d.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.getAttribute('src')),
            failedStylesheets: [...d.querySelectorAll('link[rel=stylesheet]')].filter(l => !loaded(l.sheet)).map(l => l.getAttribute('href')),
            summaryTables: d.querySelectorAll('table#summary').length,
            verdicts: [...d.querySelectorAll('td[data-claim]')].map(c =>
              c.dataset.claim + '/' + c.dataset.scale + ' ' + [...c.classList].find(k => k.startsWith('verdict-')).slice(8)),
          };
          const out = document.createElement('pre');
          out.id = 'result';
          out.textContent = JSON.stringify(result);
          document.body.appendChild(out);
        });
        </script></body></html>
        """
    }
}
