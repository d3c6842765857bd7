import Foundation
import Suite

extension Workspace {
    /// Writes the report of `papers` into `reportDirectory`: their claims evaluated on the runs in
    /// the store (read from the claims.json `figures` wrote where runs are missing), the quick
    /// runs against the baselines, and the figures and tables `figures` drew. Returns the page and
    /// what it says of each paper.
    public func report(_ papers: [any Reproduction]) throws -> (page: URL, papers: [PaperReport]) {
        let site = ReportSite(directory: reportDirectory)
        try site.refuseForeignOutput()
        let reports = try papers.map { paper in
            let report = try PaperReport(paper, workspace: self)
            let claims = Scale.allCases.map { "\($0.rawValue) \(ClaimTally(report.claims, scale: $0).summary)" }.joined(separator: "; ")
            let baselines = report.baselines.passing.map { "\($0) of \(report.baselines.total ?? 0) baseline items pass" } ?? "baselines not compared"
            log("\(paper.id): claims \(claims); \(baselines); \(report.figures.count) figure(s), \(report.tables.count) table(s)")
            return report
        }
        let stamp = ReportStamp(date: RunEnvironment.timestamp(), version: SuiteInfo.version, commit: RunEnvironment.gitCommit,
                                results: relativePath(store.root), plots: relativePath(plotsRoot))
        return (try site.write(reports, stamp: stamp), reports)
    }
}
