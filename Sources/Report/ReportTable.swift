import Foundation
import Suite

/// A table `repro figures` wrote (`<name>.md`), as the report shows it.
public struct ReportTable: Sendable {
    public var name: String
    public var scale: Scale
    public var markdown: String
    /// The file it was read from, relative to the project folder.
    public var file: String

    /// Every `.md` table in `folder` but the claims view, which the claims section shows.
    static func discover(in folder: PlotsFolder, scale: Scale, paper: any Reproduction, workspace: Workspace) throws -> [ReportTable] {
        try folder.names(withExtension: "md", declared: paper.tables.map(\.id)).filter { $0 != "claims" }.map { name in
            let url = folder.directory.appendingPathComponent(name + ".md")
            guard let markdown = try? String(contentsOf: url, encoding: .utf8) else { throw SuiteError("cannot read \(url.path) as UTF-8 text") }
            return ReportTable(name: name, scale: scale, markdown: markdown, file: workspace.relativePath(url))
        }
    }
}
