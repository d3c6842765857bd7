import Foundation

/// Writes `<id>.csv` and `<id>.gp` into a folder and runs gnuplot there to produce `<id>.png` and
/// `<id>.svg`. Files are written to temporary names and renamed, so a half-written figure never
/// replaces a good one.
public struct GnuplotRenderer: Sendable {
    /// The gnuplot executable, looked up on PATH unless absolute.
    public var executable: String

    public init(executable: String = "gnuplot") { self.executable = executable }

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
        let process = Process()
        process.executableURL = gnuplot
        process.arguments = [name]
        process.currentDirectoryURL = directory
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw FigureError(figure, "gnuplot failed on \(directory.appendingPathComponent(name).path) (exit \(process.terminationStatus)): \(text)")
        }
    }

    private func writeAtomically(_ text: String, to url: URL) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp")
        try Data(text.utf8).write(to: temporary)
        _ = try? FileManager.default.removeItem(at: url)
        try FileManager.default.moveItem(at: temporary, to: url)
    }
}
