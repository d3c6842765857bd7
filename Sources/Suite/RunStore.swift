import Foundation

/// The content-addressed store `results/<paper>/<experiment>/<key>/` of finished runs.
///
/// A run is written into `.tmp-<key>-<host>-<pid>` next to its final folder and renamed into place
/// only after `summary.json` is complete, so a folder named by its key is always a finished run.
/// Temporary folders left by a killed process are removed on the next run: ours when their process
/// is gone, anyone's after a day (another machine sharing the folder may still be writing).
public struct RunStore: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root }

    public func directory(for config: RunConfig) -> URL {
        root.appendingPathComponent(config.paper).appendingPathComponent(config.experiment).appendingPathComponent(config.key)
    }

    public func isFinished(_ config: RunConfig) -> Bool {
        FileManager.default.fileExists(atPath: directory(for: config).appendingPathComponent("summary.json").path)
    }

    public func summary(_ config: RunConfig) throws -> RunSummary? {
        let url = directory(for: config).appendingPathComponent("summary.json")
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        do {
            return try JSONDecoder().decode(RunSummary.self, from: data)
        } catch {
            throw SuiteError("\(url.path) is unreadable (\(error)); delete that folder and re-run to recompute it")
        }
    }

    /// metrics.csv as columns by name (the `step` column included).
    public func metrics(_ config: RunConfig) throws -> MetricsTable {
        let url = directory(for: config).appendingPathComponent("metrics.csv")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw SuiteError("missing \(url.path); re-run with --force to recompute this run")
        }
        return try MetricsTable(csv: text, source: url.path)
    }

    static let host = ProcessInfo.processInfo.hostName.replacingOccurrences(of: "-", with: "_")

    func temporaryDirectory(for config: RunConfig) -> URL {
        directory(for: config).deletingLastPathComponent()
            .appendingPathComponent(".tmp-\(config.key)-\(Self.host)-\(ProcessInfo.processInfo.processIdentifier)")
    }

    /// Removes temporary folders of interrupted runs under `root/<paper>`; returns how many.
    @discardableResult
    public func removeAbandonedTemporaries(paper: String, now: Date = Date()) -> Int {
        let fm = FileManager.default
        let paperDir = root.appendingPathComponent(paper)
        guard let experiments = try? fm.contentsOfDirectory(atPath: paperDir.path) else { return 0 }
        var removed = 0
        for experiment in experiments {
            let dir = paperDir.appendingPathComponent(experiment)
            for name in (try? fm.contentsOfDirectory(atPath: dir.path)) ?? [] where name.hasPrefix(".tmp-") {
                let url = dir.appendingPathComponent(name)
                let parts = name.split(separator: "-")
                let ours = parts.count == 4 && String(parts[2]) == Self.host
                let pidAlive = ours && Int32(parts[3]).map { kill($0, 0) == 0 } == true
                let modified = (try? fm.attributesOfItem(atPath: url.path)[.modificationDate] as? Date) ?? now
                if (ours && !pidAlive) || now.timeIntervalSince(modified) > 86_400 {
                    if (try? fm.removeItem(at: url)) != nil { removed += 1 }
                }
            }
        }
        return removed
    }
}

/// A run's metrics.csv, parsed: column names and rows of numbers ("nan"/"inf" allowed).
public struct MetricsTable: Sendable {
    public let columns: [String]
    public let rows: [[Double]]

    public init(csv: String, source: String) throws {
        var lines = csv.split(separator: "\n", omittingEmptySubsequences: true)
        guard !lines.isEmpty else {
            columns = []
            rows = []
            return
        }
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        columns = header
        rows = try lines.enumerated().map { index, line in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            guard cells.count == header.count else {
                throw SuiteError("\(source): line \(index + 2) has \(cells.count) cells, the header has \(header.count)")
            }
            return try cells.map { cell in
                guard let v = Double(cell) else { throw SuiteError("\(source): line \(index + 2) has a non-number '\(cell)'") }
                return v
            }
        }
    }

    public func column(_ name: String) -> [Double]? {
        columns.firstIndex(of: name).map { i in rows.map { $0[i] } }
    }
}
