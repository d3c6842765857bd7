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
        try refuseForeignFolder()
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

    private func refuseForeignFolder() throws {
        let fm = FileManager.default
        guard let contents = try? fm.contentsOfDirectory(atPath: directory.path), !contents.isEmpty else { return }
        guard contents.contains(Self.marker) else {
            throw SuiteError("\(directory.path) exists and was not written by `repro report`; it replaces its output folder "
                             + "whole, so choose an empty or new folder with --output")
        }
    }
}
