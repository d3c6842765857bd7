import ArgumentParser
import Foundation
import Report
import Suite

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one static HTML page of every reproduction: claims and verdicts, baselines, runs, figures, tables, deviations.",
        discussion: """
        Claims are evaluated on the runs in the store at each scale; where those runs are missing (a \
        fresh clone has none) the verdicts are read from the claims.json `repro figures` wrote and \
        marked as such. Baselines are compared as `repro check` compares them, when the quick runs \
        are there. Figures and tables are the ones `repro figures` drew under plots/ (the committed \
        full-scale ones, and quick-scale ones once drawn). Nothing is run or drawn here.

        The site (index.html, style.css, figures/) needs no server and loads nothing from the network; \
        it replaces --output as a whole. --screenshot also renders its top with headless Chromium.

        Examples:
          repro report
          repro report sign-methods --output /tmp/sign-report
          repro report --screenshot plots/report.png
        """)

    @Argument(help: "Papers (default: all).") var papers: [String] = []
    @Option(name: .long, help: "Folder of the site (default: <root>/report).") var output: String?
    @Option(name: .long, help: "Also save a PNG of the page's top, rendered by headless Chromium.") var screenshot: String?
    @OptionGroup var common: CommonOptions

    func run() throws {
        try reportingErrors {
            var workspace = try common.workspace()
            if let output { workspace.reportDirectory = URL(fileURLWithPath: output) }
            let browser = try screenshot.map { _ in
                guard let browser = HeadlessChromium.locate() else { throw SuiteError(HeadlessChromium.installHint) }
                return browser
            }
            let (page, _) = try workspace.report(try workspace.reproductions(papers))
            print("report: \(page.path) (open it in any browser; it loads nothing from the network)")
            if let browser, let screenshot {
                let png = URL(fileURLWithPath: screenshot)
                try browser.screenshot(page, to: png)
                print("screenshot: \(png.path)")
            }
        }
    }
}
