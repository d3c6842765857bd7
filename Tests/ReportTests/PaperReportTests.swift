import Demo
import Foundation
import XCTest
@testable import Suite
import TestSupport
@testable import Report

final class PaperReportTests: XCTestCase {
    func testReportShowsEveryDemoClaimWithItsVerdictAtEachScale() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try sandbox.commitDemoOutputs()
        try sandbox.runDemoQuick()
        let html = try String(contentsOf: try sandbox.workspace().report([LeastSquaresDemo()]).page, encoding: .utf8)

        // Quick: evaluated on the runs now; full: read from the committed claims.json.
        XCTAssertEqual(VerdictCellText(in: html, #"data-claim="adam-fits""#, #"data-scale="quick""#), .init(style: "holds", label: "holds"))
        XCTAssertEqual(VerdictCellText(in: html, #"data-claim="sgd-wins""#, #"data-scale="quick""#),
                       .init(style: "known", label: "known deviation"))
        XCTAssertTrue(html.contains("20 steps are too few for SGD"), "the deviation's reason is shown")
        XCTAssertEqual(VerdictCellText(in: html, #"data-claim="adam-fits""#, #"data-scale="full""#), .init(style: "holds", label: "holds"))
        XCTAssertEqual(VerdictCellText(in: html, #"data-claim="sgd-wins""#, #"data-scale="full""#), .init(style: "fails", label: "fails"))
        XCTAssertTrue(html.contains("read from plots/demo-least-squares/claims.json, not recomputed"), "a read verdict says so")

        let shown = try NSRegularExpression(pattern: #"data-claim="([^"]+)""#).matches(in: html, range: NSRange(html.startIndex..., in: html))
            .map { String(html[Range($0.range(at: 1), in: html)!]) }
        XCTAssertEqual(Set(shown), Set(LeastSquaresDemo().claims.map(\.id)), "every claim, and only the paper's")
    }

    func testReportMarksFailingBaselineItem() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let workspace = sandbox.workspace()
        let paper = LeastSquaresDemo()
        let url = try workspace.baseline(paper, runner: sandbox.runner(workspace))
        let baseline = try XCTUnwrap(BaselineFile.read(from: url))
        let tolerance = Tolerance.of(try XCTUnwrap(baseline.statistics("fit/method=sgd", "loss")), items: baseline.kernelSensitiveItems, seedsNow: 2, sameSeeds: true)
        try baseline.shifted("fit/method=sgd", "loss", by: 2 * tolerance).write(to: url)

        let (page, reports) = try workspace.report([paper])
        XCTAssertEqual(reports[0].baselines.passing, 1)
        XCTAssertEqual(reports[0].baselines.total, 2)
        let html = try String(contentsOf: page, encoding: .utf8)
        XCTAssertEqual(VerdictCellText(in: html, #"data-item="fit/method=sgd loss""#), .init(style: "fails", label: "fails"))
        XCTAssertEqual(VerdictCellText(in: html, #"data-item="fit/method=adam loss""#), .init(style: "holds", label: "passes"))
        XCTAssertTrue(html.contains("Failing items"))
        XCTAssertTrue(html.contains("1 of 2 pass"), "the summary counts it")
    }

    func testFreshCloneShowsCommittedOutputsAndSaysWhatItCouldNotRecompute() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try sandbox.commitDemoOutputs()
        let report = try PaperReport(LeastSquaresDemo(), workspace: sandbox.workspace())

        XCTAssertEqual(report.provenance[.quick]?.finished, 0)
        XCTAssertNil(report.claims[0].verdicts[.quick], "no quick runs and no quick claims.json: nothing to show")
        XCTAssertEqual(report.claims.map { $0.verdicts[.full]?.readFrom }, ["plots/demo-least-squares/claims.json", "plots/demo-least-squares/claims.json"])
        guard case .notCompared(let reason) = report.baselines.state else { return XCTFail("compared without quick runs") }
        XCTAssertTrue(reason.contains("10 of 10 quick runs are not in the store"), reason)
        XCTAssertEqual(report.figures.map(\.sitePath), ["figures/demo-least-squares/full/loss.svg"])
        XCTAssertEqual(report.figures.first?.caption, Sandbox.committedFigureTitle, "caption read back from the figure's script")
        XCTAssertEqual(report.tables.map(\.name), ["final-loss"], "the claims table shows as claims, not as a table")

        let html = try String(contentsOf: try sandbox.workspace().report([LeastSquaresDemo()]).page, encoding: .utf8)
        XCTAssertEqual(VerdictCellText(in: html, #"data-claim="adam-fits""#, #"data-scale="quick""#), .init(style: "none", label: "no runs"))
        XCTAssertTrue(html.contains(#"<img src="figures/demo-least-squares/full/loss.svg" alt="Least squares: loss &quot;full&quot; &lt;scale&gt;""#), html)
        XCTAssertTrue(html.contains("0 of 10"), "the runs table says none is in the store")
    }

    func testDeviationsComeFromTheReadmeWithRepositoryLinksAsText() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try sandbox.commitDemoOutputs()
        let report = try PaperReport(LeastSquaresDemo(), workspace: sandbox.workspace())
        XCTAssertEqual(report.deviations, "- The step count x_k is **ours**; see [the notes](notes.md) and ![a plot](loss.png).")

        let html = try String(contentsOf: try sandbox.workspace().report([LeastSquaresDemo()]).page, encoding: .utf8)
        XCTAssertTrue(html.contains("The step count x&#95;k is <strong>ours</strong>; see the notes and <em>[a plot]</em>."), html)
        XCTAssertFalse(html.contains("Not a deviation"), "the next section is not part of it")
    }

    func testArXivIdentifiersAreReadFromTheCitation() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        var report = try PaperReport(LeastSquaresDemo(), workspace: sandbox.workspace())
        XCTAssertEqual(report.arXivIDs, [])
        report.citation = "arXiv:2408.05606 (model: Mamba4Rec, arXiv:2403.03900)"
        XCTAssertEqual(report.arXivIDs, ["2408.05606", "2403.03900"])
    }
}
