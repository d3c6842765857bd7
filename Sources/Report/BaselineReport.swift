import Foundation
import Suite

/// A paper's quick runs against `reproductions/<paper>/baselines.json`, compared as `repro check`
/// compares them, or why that could not be done here.
public struct BaselineReport: Sendable {
    /// The baseline file, relative to the project folder.
    public var file: String
    /// Items (group × metric) the file holds; nil when there is no file.
    public var storedItems: Int?
    public var state: State

    public enum State: Sendable {
        /// One row per item, as `check` prints them.
        case compared([CheckReport.Row])
        case notCompared(String)
    }

    /// The rule every row was judged by, as `Tolerance` computes it.
    public static let rule = Tolerance.rule

    public var passing: Int? {
        guard case .compared(let rows) = state else { return nil }
        return rows.filter(\.passed).count
    }

    public var total: Int? {
        guard case .compared(let rows) = state else { return nil }
        return rows.count
    }

    static func gather(_ paper: any Reproduction, quick: ResultSet, provenance: RunProvenance, workspace: Workspace) throws -> BaselineReport {
        let url = workspace.baselineURL(paper)
        let stored = try BaselineFile.read(from: url)
        let items = stored?.itemCount
        let file = workspace.relativePath(url)
        guard provenance.finished == provenance.declared else {
            let reason = "not compared: \(provenance.declared - provenance.finished) of \(provenance.declared) quick runs "
                + "are not in the store; `repro check \(paper.id)\(workspace.commandOptions)` computes them"
            return BaselineReport(file: file, storedItems: items, state: .notCompared(reason))
        }
        var report = CheckReport()
        try report.compare(quick, with: stored, claims: [])
        return BaselineReport(file: file, storedItems: items, state: .compared(report.rows))
    }
}
