import Foundation

/// The content-addressed store `results/<paper>/<experiment>/<key>/` of finished runs.
///
/// A run is written into `.tmp-<key>-<host>-<pid>-<uuid>` next to its final folder and renamed into place
/// only after `summary.json` is complete, so a folder named by its key is always a finished run.
/// Temporary folders left by a killed process are removed on the next run: ours when their process
/// is gone, anyone's after a day (another machine sharing the folder may still be writing).
///
/// Every read checks the run's folder against the digests its summary recorded (`RunIntegrity`),
/// once per run and process: a damaged folder is never read as a finished run. `Runner` moves it
/// into `<paper>/.quarantine/` (never deletes it) and computes the run again.
public struct RunStore: Sendable {
    public let root: URL
    /// What reads found, by run folder, with the fingerprint of its summary.json then: a folder is
    /// hashed again when its summary was replaced, resized or touched, or was removed.
    private let checked = CheckedRuns()

    public init(root: URL) { self.root = root }

    public func directory(for config: RunConfig) -> URL {
        root.appendingPathComponent(config.paper).appendingPathComponent(config.experiment).appendingPathComponent(config.key)
    }

    /// The run's folder, checked against its summary's digests. A sound run written before digests
    /// were recorded gets them now (when the store is writable), so later changes are caught.
    public func state(_ config: RunConfig) -> RunState {
        // The key is a SHA-256 of the config's JSON: computed once here, not for the folder and again for the check.
        let key = config.key
        return state(of: root.appendingPathComponent(config.paper).appendingPathComponent(config.experiment).appendingPathComponent(key), key: key)
    }

    /// The state of the folder `folder`, which should hold the run `key`.
    public func state(of folder: URL, key: String) -> RunState { inspect(folder, key: key).state }

    /// The state, and whether the run was written before digests and sealed by this read.
    func inspect(_ folder: URL, key: String) -> (state: RunState, sealedNow: Bool) {
        let path = folder.path, summaryPath = path + "/" + RunIntegrity.summaryName
        if let known = checked[path], known.fingerprint == RunIntegrity.fingerprint(ofFile: summaryPath) {
            return (known.state, false)
        }
        let now = Date().timeIntervalSince1970
        let (state, unsealed) = RunIntegrity.inspect(folder, key: key)
        guard state != .missing else { return (state, false) }
        if let unsealed { try? unsealed.bytes.writeAtomically(to: folder.appendingPathComponent(RunIntegrity.summaryName)) }
        // Remembered only when no file of the folder changed within the last seconds: a file
        // rewritten then, at the same size, could keep its time stamp (git's "racily clean"
        // entries); so a run just written, or just edited, is checked again on every read. A
        // missing run is not remembered: another process may publish it.
        if let newest = RunIntegrity.newestChange(in: path), newest < now - 2, let fingerprint = RunIntegrity.fingerprint(ofFile: summaryPath) {
            checked[path] = (state, fingerprint)
        }
        return (state, unsealed != nil)
    }

    public func isFinished(_ config: RunConfig) -> Bool { state(config).summary != nil }

    /// The finished run's summary; nil when it has not run; an error naming the folder and what is
    /// wrong when its folder is damaged.
    public func summary(_ config: RunConfig) throws -> RunSummary? {
        switch state(config) {
        case .missing: return nil
        case .finished(let summary): return summary
        case .damaged(let why): throw damaged(config, why)
        }
    }

    /// metrics.csv as columns by name (the `step` column included).
    public func metrics(_ config: RunConfig) throws -> MetricsTable {
        let url = directory(for: config).appendingPathComponent("metrics.csv")
        switch state(config) {
        case .missing: throw SuiteError("missing \(url.path); run \(config.label) has not been run")
        case .damaged(let why): throw damaged(config, why)
        case .finished: break
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw SuiteError("missing \(url.path); \(MetricsTable.recompute)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw SuiteError("\(url.path) is not UTF-8 text; \(MetricsTable.recompute)") }
        return try MetricsTable(csv: text, source: url.path)
    }

    func damaged(_ config: RunConfig, _ why: String) -> SuiteError {
        SuiteError("run \(config.label) is damaged: \(why). "
                   + "`repro run \(config.paper) --experiment \(config.experiment) --results \(root.path)` (with `--scale full` for a full-scale run) "
                   + "moves its folder to \(quarantineRoot(paper: config.paper).path) and computes the run again")
    }

    /// `<paper>/.quarantine`: where damaged run folders are moved, kept for inspection.
    public func quarantineRoot(paper: String) -> URL { root.appendingPathComponent(paper).appendingPathComponent(".quarantine") }

    /// Moves the damaged folder of `config` into quarantine, with a `QUARANTINED.txt` saying why
    /// and when; returns where it went. The run then reads as missing.
    @discardableResult
    public func quarantine(_ config: RunConfig, reason: String) throws -> URL {
        try quarantine(directory(for: config), paper: config.paper, experiment: config.experiment, reason: reason)
    }

    /// The same for the folder `folder` of `paper`'s `experiment`.
    @discardableResult
    public func quarantine(_ folder: URL, paper: String, experiment: String, reason: String) throws -> URL {
        let fm = FileManager.default
        let key = folder.lastPathComponent
        let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
        let target = quarantineRoot(paper: paper).appendingPathComponent(experiment)
            .appendingPathComponent("\(key)-\(stamp)-\(UUID().uuidString.prefix(8))")
        do {
            try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try fm.moveItem(at: folder, to: target)
        } catch {
            throw SuiteError("cannot move the damaged run folder \(folder.path) to \(target.path): \(error.localizedDescription); move or delete it by hand")
        }
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: target.path, isDirectory: &isDirectory), isDirectory.boolValue {
            try? Data("run folder \(key) of \(paper)/\(experiment)\nmoved here \(stamp) from \(folder.path)\nbecause \(reason)\n".utf8)
                .write(to: target.appendingPathComponent("QUARANTINED.txt"))
        }
        checked[folder.path] = nil
        return target
    }

    /// Drops what reads found for the run (it was just written): the next read checks the folder again.
    func forget(_ config: RunConfig) { checked[directory(for: config).path] = nil }

    static let host = ProcessInfo.processInfo.hostName.replacingOccurrences(of: "-", with: "_")

    /// `.tmp-<key>-<host>-<pid>-<uuid>`: unique per writer, even for two writers of one run in one
    /// process, and telling `removeAbandonedTemporaries` whose it is.
    func temporaryDirectory(for config: RunConfig) -> URL {
        directory(for: config).deletingLastPathComponent()
            .appendingPathComponent(".tmp-\(config.key)-\(Self.host)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
    }

    /// `.tmp-<key>-<host>-stopped-<uuid>`: the temporary folder of a run that stopped at a
    /// checkpoint, released by its writer, so the next attempt (in this process too) adopts it.
    func releasedTemporaryDirectory(for config: RunConfig) -> URL {
        directory(for: config).deletingLastPathComponent().appendingPathComponent(".tmp-\(config.key)-\(Self.host)-stopped-\(UUID().uuidString)")
    }

    /// Moves a complete run folder into place with one rename(2), so readers see either no run or a
    /// whole one. When another writer (a resubmitted array task, a second machine on the same
    /// folder) has published the same run meanwhile, the first copy stays and this one is dropped:
    /// both computed the same bits, and the store holds the run once. `replacing` (for `--force`)
    /// swaps the new copy in instead.
    func publish(_ temporary: URL, as final: URL, replacing: Bool) throws {
        let fm = FileManager.default
        var replaced: URL?
        if replacing, fm.fileExists(atPath: final.path) {
            let old = temporary.appendingPathExtension("replaced")
            if rename(final.path, old.path) == 0 { replaced = old }
        }
        if rename(temporary.path, final.path) == 0 {
            if let replaced { try? fm.removeItem(at: replaced) }
            return
        }
        let error = errno
        if let replaced { _ = rename(replaced.path, final.path) }
        guard error == ENOTEMPTY || error == EEXIST else {
            throw SuiteError("cannot move \(temporary.path) to \(final.path): \(String(cString: strerror(error)))")
        }
        guard fm.fileExists(atPath: final.appendingPathComponent(RunIntegrity.summaryName).path) else {
            throw SuiteError("\(final.path) is in the way but holds no finished run (no summary.json); delete it and run again")
        }
        try? fm.removeItem(at: temporary)
    }

    /// Seconds without a heartbeat (`Heartbeat`) after which another host's writer counts as gone:
    /// ten beats missed.
    static let heartbeatTimeout: Double = 600

    /// Whether the writer of the temporary folder `url` is gone: a process of this host that no
    /// longer exists, a writer whose heartbeat stopped `heartbeatTimeout` ago, or, for a folder
    /// without a heartbeat (written before there was one), anyone's folder untouched for `days`.
    private func writerIsGone(_ url: URL, now: Date, days: Double) -> Bool {
        let parts = url.lastPathComponent.split(separator: "-")
        // "stopped" in place of the pid: released by a writer that stopped at a checkpoint, on any
        // host (a requeued Slurm task continues on another node).
        if parts.count >= 4 && parts[3] == "stopped" { return true }
        let ours = parts.count >= 4 && String(parts[2]) == Self.host
        if ours { return Int32(parts[3]).map { kill($0, 0) == 0 } != true }
        func modified(_ path: String) -> Date? { (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date }
        if let beat = modified(url.appendingPathComponent(Heartbeat.name).path) { return now.timeIntervalSince(beat) > Self.heartbeatTimeout }
        return now.timeIntervalSince(modified(url.path) ?? now) > days * 86_400
    }

    /// Moves the temporary folder an interrupted earlier attempt at `run` left with a checkpoint
    /// to `temporary`, for this attempt to continue it; false when there is none. One rename, so
    /// of two attempts that try at once, one continues it and the other starts afresh.
    func adoptInterruptedRun(_ run: RunConfig, as temporary: URL) -> Bool {
        let fm = FileManager.default
        let folder = directory(for: run).deletingLastPathComponent()
        let prefix = ".tmp-\(run.key)-"
        for name in ((try? fm.contentsOfDirectory(atPath: folder.path)) ?? []).sorted() where name.hasPrefix(prefix) {
            let candidate = folder.appendingPathComponent(name)
            // Only a checkpoint this build can continue: another's folder holds another attempt's files.
            guard let saved = fm.contents(atPath: candidate.appendingPathComponent(CheckpointFile.name).path).flatMap(CheckpointFile.decode),
                  saved.continues(run.key), writerIsGone(candidate, now: Date(), days: 1) else { continue }
            if rename(candidate.path, temporary.path) == 0 { return true }
        }
        return false
    }

    /// A run being computed, or stopped with a checkpoint its next attempt continues.
    public struct UnfinishedRun: Sendable {
        public let key: String
        /// Whether its writer is still at work (else it stopped or was killed).
        public let running: Bool
        /// Rows of metrics.csv its last checkpoint holds, and when it was saved; nil without one.
        public let checkpointRows: Int?
        public let checkpointSaved: Date?
    }

    /// The temporary folders of `experiment`'s runs: what is running and what a next attempt resumes.
    public func unfinishedRuns(paper: String, experiment: String, now: Date = Date()) -> [UnfinishedRun] {
        let fm = FileManager.default
        let folder = root.appendingPathComponent(paper).appendingPathComponent(experiment)
        return ((try? fm.contentsOfDirectory(atPath: folder.path)) ?? []).sorted().compactMap { name in
            let parts = name.split(separator: "-")
            guard name.hasPrefix(".tmp-"), parts.count >= 4 else { return nil }
            let url = folder.appendingPathComponent(name), file = url.appendingPathComponent(CheckpointFile.name)
            let checkpoint = fm.contents(atPath: file.path).flatMap(CheckpointFile.decode)
            let saved = checkpoint.flatMap { _ in (try? fm.attributesOfItem(atPath: file.path))?[.modificationDate] as? Date }
            return UnfinishedRun(key: String(parts[1]), running: !writerIsGone(url, now: now, days: 1), checkpointRows: checkpoint?.header.rowCount,
                                 checkpointSaved: saved)
        }
    }

    /// Removes temporary folders of interrupted runs under `root/<paper>`, but those holding a
    /// checkpoint for a week (the next attempt at their run continues them); returns how many.
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
                let resumable = fm.fileExists(atPath: url.appendingPathComponent(CheckpointFile.name).path)
                let age = now.timeIntervalSince((try? fm.attributesOfItem(atPath: url.path)[.modificationDate] as? Date) ?? now)
                if resumable ? age > 7 * 86_400 : writerIsGone(url, now: now, days: 1) {
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
    /// The file read, for error messages.
    public let source: String

    /// Deleting the run's folder makes the next `repro run` recompute that run alone.
    static let recompute = "delete that run's folder and run `repro run` again to recompute it"

    public init(csv: String, source: String) throws {
        self.source = source
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
                throw SuiteError("\(source): line \(index + 2) has \(cells.count) cells, the header has \(header.count); \(Self.recompute)")
            }
            return try cells.map { cell in
                guard let v = Double(cell) else {
                    throw SuiteError("\(source): line \(index + 2) has a non-number \(String(reflecting: String(cell))); \(Self.recompute)")
                }
                return v
            }
        }
    }

    public func column(_ name: String) -> [Double]? {
        columns.firstIndex(of: name).map { i in rows.map { $0[i] } }
    }

    /// A column a figure or table needs, with at least one row; an error naming the file otherwise
    /// (a damaged or hand-edited metrics.csv is recomputed, never guessed around).
    public func required(_ name: String) throws -> [Double] {
        guard let values = column(name) else {
            throw SuiteError("\(source) has no column '\(name)' (has: \(columns.joined(separator: ", "))); \(Self.recompute)")
        }
        guard !values.isEmpty else { throw SuiteError("\(source) has no rows; \(Self.recompute)") }
        return values
    }
}

/// The states reads found, shared by the copies of one store.
private final class CheckedRuns: @unchecked Sendable {
    private var states: [String: (state: RunState, fingerprint: String)] = [:]
    private let lock = NSLock()

    subscript(path: String) -> (state: RunState, fingerprint: String)? {
        get { lock.withLock { states[path] } }
        set { lock.withLock { states[path] = newValue } }
    }
}
