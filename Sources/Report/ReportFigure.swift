import Figures
import Foundation
import Suite

/// A figure `repro figures` drew, as the report shows it: its SVG, copied into the site.
public struct ReportFigure: Sendable {
    public var name: String
    public var scale: Scale
    /// The title it was drawn with, read from its gnuplot script (the name when there is none).
    public var caption: String
    /// The SVG in the plots folder, and that folder relative to the project folder.
    public var svg: URL
    public var folder: String
    /// The site's copy, relative to the page.
    public var sitePath: String

    /// Every SVG in `folder`, in the order the paper declares its figures.
    static func discover(in folder: PlotsFolder, scale: Scale, paper: any Reproduction, workspace: Workspace) -> [ReportFigure] {
        folder.names(withExtension: "svg", declared: paper.figures.map(\.id)).map { name in
            let script = try? String(contentsOf: folder.directory.appendingPathComponent(name + ".gp"), encoding: .utf8)
            return ReportFigure(name: name, scale: scale, caption: script.flatMap(GnuplotScript.title(ofScript:)) ?? name,
                                svg: folder.directory.appendingPathComponent(name + ".svg"), folder: workspace.relativePath(folder.directory),
                                sitePath: "figures/\(paper.id)/\(scale.rawValue)/\(name).svg")
        }
    }
}
