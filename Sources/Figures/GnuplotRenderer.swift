import Engine
import Foundation

/// Writes `<id>.csv` and `<id>.gp` into a folder and runs gnuplot there to produce `<id>.png` and
/// `<id>.svg`. Files are written to temporary names and renamed, so a half-written figure never
/// replaces a good one.
public struct GnuplotRenderer: Sendable {
    /// The gnuplot executable, looked up on PATH unless absolute.
    public var executable: String
    /// Seconds a figure may take; a gnuplot still running then is stopped (a figure takes well
    /// under a second, the largest a few).
    public var timeout: Double

    public init(executable: String = "gnuplot", timeout: Double = 120) {
        self.executable = executable
        self.timeout = timeout
    }

    /// Where gnuplot is, or nil when it is not installed.
    public func locate() -> URL? { executableOnPath(executable) }

    public static let installHint = "gnuplot is not installed; run scripts/setup, or `sudo apt-get install gnuplot-nox` (Debian/Ubuntu), `brew install gnuplot` (macOS)"

    /// Writes the data and script, then renders; returns the PNG and SVG paths.
    @discardableResult
    public func render(_ spec: FigureSpec, into directory: URL) throws -> (png: URL, svg: URL) {
        guard !spec.series.isEmpty, spec.series.contains(where: { !$0.points.isEmpty }) else {
            throw FigureError(spec.id, "has no data points to draw")
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try writeAtomically(GnuplotScript.csv(spec), to: directory.appendingPathComponent("\(spec.id).csv"))
        try writeAtomically(GnuplotScript.script(spec), to: directory.appendingPathComponent("\(spec.id).gp"))
        try run(scriptNamed: "\(spec.id).gp", in: directory, figure: spec.id)
        return (directory.appendingPathComponent("\(spec.id).png"), directory.appendingPathComponent("\(spec.id).svg"))
    }

    /// Runs an existing script in its folder (what a user does after editing it).
    public func run(scriptNamed name: String, in directory: URL, figure: String) throws {
        guard let gnuplot = locate() else { throw FigureError(figure, Self.installHint) }
        let script = directory.appendingPathComponent(name).path
        let outcome = try BoundedProcess(gnuplot, arguments: [name], in: directory, timeout: timeout).run()
        guard !outcome.timedOut else {
            throw FigureError(figure, "gnuplot did not finish \(script) in \(Int(timeout)) s and was stopped; run `gnuplot \(name)` in \(directory.path) to see why")
        }
        guard outcome.succeeded else {
            let text = outcome.errors.trimmingCharacters(in: .whitespacesAndNewlines)
            throw FigureError(figure, "gnuplot failed on \(script) (\(outcome.status.map { "exit \($0)" } ?? "killed by a signal")): \(text)")
        }
    }

    private func writeAtomically(_ text: String, to url: URL) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp")
        try Data(text.utf8).write(to: temporary)
        _ = try? FileManager.default.removeItem(at: url)
        try FileManager.default.moveItem(at: temporary, to: url)
    }
}
