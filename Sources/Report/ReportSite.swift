import Foundation
import Suite

/// The report on disk: `index.html`, `style.css` and a copy of every figure under `figures/`, so
/// the folder opens, moves and archives as it is. It is built in a temporary folder beside its
/// place, checked with `ReportLinkCheck`, and only then swapped in: a failed or interrupted run
/// leaves the previous report whole.
struct ReportSite {
    let directory: URL
    static let page = "index.html"
    /// Marks a folder as one this writes, so that `--output` never replaces anything else.
    static let marker = ".repro-report"

    /// Writes the site and returns its page.
    func write(_ papers: [PaperReport], stamp: ReportStamp) throws -> URL {
        let fm = FileManager.default
        try refuseForeignOutput()
        let parent = directory.deletingLastPathComponent()
        try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        let unique = "\(ProcessInfo.processInfo.processIdentifier)-\(DispatchTime.now().uptimeNanoseconds)"
        let staging = parent.appendingPathComponent(".\(directory.lastPathComponent).tmp-\(unique)")
        defer { try? fm.removeItem(at: staging) }
        try fm.createDirectory(at: staging, withIntermediateDirectories: true)
        try Data(ReportPage(papers: papers, stamp: stamp).html().utf8).write(to: staging.appendingPathComponent(Self.page))
        try Data(ReportStyle.css.utf8).write(to: staging.appendingPathComponent(ReportStyle.fileName))
        try Data("Written by `repro report`, which replaces this whole folder on each run.\n".utf8)
            .write(to: staging.appendingPathComponent(Self.marker))
        for figure in papers.flatMap(\.figures) {
            let copy = staging.appendingPathComponent(figure.sitePath)
            try fm.createDirectory(at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
            try fm.copyItem(at: figure.svg, to: copy)
        }
        let check = ReportLinkCheck.check(site: staging)
        guard check.problems.isEmpty else {
            throw SuiteError("the report would load what it does not hold, so it was not written:\n  " + check.problems.joined(separator: "\n  "))
        }
        if fm.fileExists(atPath: directory.path) {
            let previous = parent.appendingPathComponent(".\(directory.lastPathComponent).old-\(unique)")
            try fm.moveItem(at: directory, to: previous)
            do { try fm.moveItem(at: staging, to: directory) } catch {
                try? fm.moveItem(at: previous, to: directory)
                throw error
            }
            try? fm.removeItem(at: previous)
        } else {
            try fm.moveItem(at: staging, to: directory)
        }
        return directory.appendingPathComponent(Self.page)
    }

    /// Refuses an output path that holds anything this did not write: a file, or a folder without
    /// the marker. Called before any work, and again just before the swap.
    func refuseForeignOutput() throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: directory.path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else {
            throw SuiteError("\(directory.path) is a file; the report is a folder (index.html, style.css, figures/) that replaces "
                             + "its --output whole, so choose a new or empty folder with --output")
        }
        guard let contents = try? fm.contentsOfDirectory(atPath: directory.path) else {
            throw SuiteError("\(directory.path) cannot be read; choose another folder with --output")
        }
        guard contents.isEmpty || contents.contains(Self.marker) else {
            throw SuiteError("\(directory.path) exists and was not written by `repro report`; it replaces its output folder "
                             + "whole, so choose an empty or new folder with --output")
        }
    }
}
