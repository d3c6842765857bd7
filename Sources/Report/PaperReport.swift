import Foundation
import Suite

/// Everything the report says about one paper, gathered from the run store, the baselines, the
/// paper's declarations and what `repro figures` wrote; nothing in it is typed by hand.
public struct PaperReport: Sendable {
    public var id: String
    public var title: String
    public var citation: String
    public var officialCode: [CodeLink]
    public var claims: [ReportClaim]
    public var baselines: BaselineReport
    public var figures: [ReportFigure]
    public var tables: [ReportTable]
    /// The README's deviations section (Markdown), and the README it comes from.
    public var deviations: String?
    public var readme: String
    public var provenance: [Scale: RunProvenance]

    /// The arXiv identifiers the citation names, e.g. ["2406.04443"].
    public var arXivIDs: [String] {
        citation.matches(of: #/arXiv:(\d{4}\.\d{4,5})/#).map { String($0.1) }
    }

    public init(_ paper: any Reproduction, workspace: Workspace) throws {
        id = paper.id
        title = paper.title
        citation = paper.citation
        officialCode = paper.officialCode
        var results: [Scale: ResultSet] = [:], provenance: [Scale: RunProvenance] = [:]
        var written: [Scale: WrittenClaims] = [:]
        figures = []
        tables = []
        for scale in Scale.allCases {
            let experiments = try workspace.experiments(paper, scale: scale)
            let runs = experiments.flatMap(\.runs)
            provenance[scale] = RunProvenance(declared: runs.count, summaries: try runs.compactMap { try workspace.store.summary($0) })
            results[scale] = try workspace.results(paper, scale: scale, experiments: experiments)
            let folder = PlotsFolder(directory: workspace.plotsDirectory(paper, scale: scale))
            let claimsFile = folder.directory.appendingPathComponent("\(ClaimsFile.name).json")
            if FileManager.default.fileExists(atPath: claimsFile.path) {
                written[scale] = try WrittenClaims(json: claimsFile, path: workspace.relativePath(claimsFile))
            }
            figures += ReportFigure.discover(in: folder, scale: scale, paper: paper, workspace: workspace)
            tables += try ReportTable.discover(in: folder, scale: scale, paper: paper, workspace: workspace)
        }
        self.provenance = provenance
        claims = ReportClaim.gather(paper.claims, results: results.filter { provenance[$0.key]!.finished > 0 }, written: written)
        baselines = try BaselineReport.gather(paper, quick: results[.quick]!, provenance: provenance[.quick]!, workspace: workspace)
        let readmeURL = workspace.configDirectory(paper).appendingPathComponent("README.md")
        readme = workspace.relativePath(readmeURL)
        deviations = (try? String(contentsOf: readmeURL, encoding: .utf8)).flatMap { ReadmeSection.body(of: $0, headingStartingWith: "Deviations") }
    }
}
