import Engine
import Foundation

/// What a running experiment body sees: its seeded generator and a logger for metrics.
///
/// `log` appends one row to `metrics.csv` (the columns are fixed by the first row, with `step`
/// first) and throws `RunDiverged` as soon as a value is NaN or ±∞, which ends the run and records
/// it as diverged. The last logged row becomes the run's final metrics unless `setFinal` overrides
/// or adds values.
///
/// A long run checkpoints: it calls `resume()` before its loop and continues from what that
/// returns, and `checkpoint(_:)` at each safe point (an epoch's end). The checkpoint lives in the
/// run's temporary folder; when the process is stopped or killed, the next attempt at the same run
/// adopts that folder and continues, and its metrics and results are the same bits as an
/// uninterrupted run's.
public final class RunContext {
    public let config: RunConfig
    /// Seeded from the run's seed and key-independent labels: the same seed gives the same numbers
    /// in every experiment that asks for the same streams.
    public let rng: RNG
    private let output: FileHandle
    private let metricsFile: URL
    public private(set) var columns: [String] = []
    public private(set) var rowCount = 0
    public private(set) var final: [String: Double] = [:]
    /// The final metrics a summary records: a non-finite one belongs to a diverged run and is left
    /// out (`RunSummary.metric` counts the run as +∞ instead).
    var recordedFinal: [String: Double] { final.filter { $0.value.isFinite } }
    /// Machine facts of the run (seconds per step, say): kept in the summary for figures that model
    /// time, never compared by `check`, since they depend on the machine and not on the config.
    public private(set) var measurements: [String: Double] = [:]
    /// Logged columns that are machine measurements (e.g. cumulative training seconds): written to
    /// `metrics.csv` like the others, so figures can plot against them, but their last value goes
    /// to `measurements`, not to the final metrics `check` compares.
    public var measuredColumns: Set<String> = []
    /// How many rows the run logs at most (its epochs, say; fewer when it stops early), when it
    /// knows: its progress then has an ETA, a bound for a run that may stop early.
    public var expectedRows: Int?
    /// Rows logged by earlier attempts: this attempt's pace is measured from its own rows.
    private var rowsBefore = 0
    /// Told facts about the run worth a line with `--verbose` (its memory estimate).
    var onNote: ((String) -> Void)?
    /// Told each logged row, as text, and the fraction of `expectedRows` done: the runner's progress line.
    var onRow: ((String, Double?) -> Void)?
    /// A folder for files the run leaves besides its metrics (trained parameters, say); it moves
    /// into place with the run, so an artifact exists only when its run finished.
    public let artifacts: URL
    private let store: RunStore?
    private var buffer = ""
    /// When rows were last written out: a slow run's rows (one per epoch) reach the file within
    /// seconds, so its progress can be read from the run's temporary folder while it works.
    private var lastFlush = Date()
    /// Where stopping is asked for (signals), and how often a checkpoint is written at most.
    private let stop: StopRequest?
    private let checkpointInterval: Double
    private var lastCheckpoint = Date()
    /// The checkpoint an earlier attempt left, until `resume()` hands it over.
    private var saved: Checkpoint?
    /// Whether the run checkpoints (it called `resume()`): then a stop waits for its next checkpoint.
    private var checkpointing = false
    /// Wall seconds of the earlier attempts of this run.
    public private(set) var elapsedBefore = 0.0
    /// The memory this run may take (`admit`); nil when unchecked.
    var memoryBudget: MemoryBudget?
    private let started = Date()
    private var checkpointFile: URL { artifacts.appendingPathComponent(CheckpointFile.name) }

    init(config: RunConfig, metricsFile: URL, artifacts: URL? = nil, store: RunStore? = nil, stop: StopRequest? = nil,
         checkpointInterval: Double = 120) throws {
        self.config = config
        self.artifacts = artifacts ?? metricsFile.deletingLastPathComponent()
        self.store = store
        self.metricsFile = metricsFile
        self.stop = stop
        self.checkpointInterval = checkpointInterval
        rng = RNG(seed: UInt64(bitPattern: Int64(config.seed))).stream(config.experiment)
        let file = (artifacts ?? metricsFile.deletingLastPathComponent()).appendingPathComponent(CheckpointFile.name)
        // A metrics.csv shorter than the checkpoint says (not all on disk when the machine went
        // down) cannot be rolled back to it.
        var metricsInfo = stat()
        let metricsBytes = stat(metricsFile.path, &metricsInfo) == 0 ? Int(metricsInfo.st_size) : 0
        let earlier = FileManager.default.contents(atPath: file.path).flatMap(CheckpointFile.decode)
            .flatMap { $0.continues(config.key) && $0.header.metricsBytes <= metricsBytes ? $0 : nil }
        // A checkpoint of other code (or none) cannot continue this run: it starts from the beginning.
        let descriptor = open(metricsFile.path, O_WRONLY | O_CREAT | O_CLOEXEC | (earlier == nil ? O_TRUNC : 0), 0o644)
        guard descriptor >= 0 else {
            throw SuiteError.write(metricsFile, NSError(domain: NSPOSIXErrorDomain, code: Int(errno)))
        }
        output = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        guard let earlier else {
            try? FileManager.default.removeItem(at: file)
            return
        }
        // The rows logged after the checkpoint are logged again by the resumed run.
        guard ftruncate(descriptor, off_t(earlier.header.metricsBytes)) == 0, lseek(descriptor, 0, SEEK_END) >= 0 else {
            throw SuiteError.write(metricsFile, NSError(domain: NSPOSIXErrorDomain, code: Int(errno)))
        }
        (columns, rowCount, final, measurements) = (earlier.header.columns, earlier.header.rowCount, earlier.header.final, earlier.header.measurements)
        elapsedBefore = earlier.header.elapsedSeconds
        rowsBefore = rowCount
        saved = earlier.checkpoint
    }

    /// The state an interrupted earlier attempt of this run saved, its metrics rolled back to that
    /// point; nil when the run starts from the beginning. Calling it declares that the run
    /// checkpoints.
    public func resume() -> Checkpoint? {
        checkpointing = true
        defer { saved = nil }
        return saved
    }

    /// Rolls the run back to its beginning: no rows, no results, no checkpoint.
    private func discardCheckpoint() throws {
        saved = nil
        (columns, rowCount, rowsBefore, final, measurements, elapsedBefore) = ([], 0, 0, [:], [:], 0)
        try? FileManager.default.removeItem(at: checkpointFile)
        do {
            try output.truncate(atOffset: 0)
        } catch {
            throw SuiteError.write(metricsFile, error)
        }
    }

    /// A safe point of a run that checkpoints: `state` is saved when `checkpointInterval` seconds
    /// passed since the last save, or when a stop was requested, and then the run stops
    /// (`RunInterrupted`). The state is built only when it is saved.
    public func checkpoint(_ state: @autoclosure () throws -> Checkpoint) throws {
        stop?.checkpointReached()
        let stopping = stop?.signal
        guard stopping != nil || Date().timeIntervalSince(lastCheckpoint) >= checkpointInterval else { return }
        try flush()
        let header = CheckpointFile.Header(
            key: config.key, engineVersion: SuiteInfo.version, gitCommit: RunEnvironment.gitCommit, blasCore: BLAS.library.core,
            metricsBytes: Int(try output.offset()), rowCount: rowCount, columns: columns, final: final, measurements: measurements,
            elapsedSeconds: elapsedBefore + Date().timeIntervalSince(started), numbers: [:], blobs: [:], digest: "")
        let bytes = try CheckpointFile(header: header, checkpoint: try state()).encoded()
        try bytes.writeAtomically(to: checkpointFile)
        lastCheckpoint = Date()
        if let stopping { throw RunInterrupted(signal: stopping, saved: true) }
    }

    /// Refuses the run (`MemoryRefusal`) when `estimate` exceeds the memory it may take: called by
    /// a run that trains a model, after building it and before its first step.
    public func admit(_ estimate: @autoclosure () -> MemoryEstimate) throws {
        guard let memoryBudget else {
            onNote?("memory not checked (--memory-limit none)")
            return
        }
        let estimate = estimate()
        onNote?("estimated peak memory \(MemoryEstimate.format(estimate.totalBytes)) (\(estimate.breakdown)); "
                + "one run may take \(MemoryEstimate.format(memoryBudget.bytes)) (\(memoryBudget.origin))")
        guard estimate.totalBytes <= memoryBudget.bytes else { throw MemoryRefusal(estimate: estimate, budget: memoryBudget) }
    }

    public func log(step: Int, _ values: KeyValuePairs<String, Double>) throws {
        try log(step: step, values.map { ($0.key, $0.value) })
    }

    /// The same, for columns built at run time (in order).
    public func log(step: Int, _ values: [(key: String, value: Double)]) throws {
        if !checkpointing, let signal = stop?.signal { throw RunInterrupted(signal: signal, saved: false) }
        // A checkpoint the run did not ask for (its code no longer checkpoints): it starts over.
        if saved != nil { try discardCheckpoint() }
        let names = values.map(\.key)
        if columns.isEmpty {
            precondition(!names.isEmpty && !names.contains("step"), "log needs at least one metric and no column named 'step'")
            columns = names
            buffer += "step," + names.joined(separator: ",") + "\n"
        } else if names != columns {
            throw SuiteError("run \(config.experiment)/\(config.group): logged columns \(names) differ from the first row's \(columns)")
        }
        buffer += String(step)
        for (_, v) in values { buffer += "," + (v.isFinite ? String(v) : (v.isNaN ? "nan" : (v > 0 ? "inf" : "-inf"))) }
        buffer += "\n"
        rowCount += 1
        if let onRow {
            let shown = values.prefix(3).map { "\($0.key) \(String(format: "%.4g", $0.value))" }.joined(separator: ", ")
            let fraction = expectedRows.map { Double(rowCount - rowsBefore) / Double(max($0 - rowsBefore, 1)) }
            onRow("step \(step)" + (shown.isEmpty ? "" : ", \(shown)"), fraction)
        }
        for (name, v) in values {
            if measuredColumns.contains(name) { measurements[name] = v } else { final[name] = v }
        }
        if buffer.utf8.count > 1 << 16 || Date().timeIntervalSince(lastFlush) > 10 { try flush() }
        if let bad = values.first(where: { !$0.value.isFinite }) {
            try flush()
            throw RunDiverged(step: step, metric: bad.key, value: bad.value)
        }
    }

    /// Adds or replaces final metrics (e.g. a validation score computed once at the end).
    public func setFinal(_ name: String, _ value: Double) { final[name] = value }

    public func setMeasurement(_ name: String, _ value: Double) { measurements[name] = value }

    /// The artifacts folder of another, finished run (one this experiment depends on).
    public func artifacts(of run: RunConfig) throws -> URL {
        guard let store, store.isFinished(run) else {
            throw SuiteError("\(config.experiment) needs the finished run \(run.label) (key \(run.key)); run experiment \(run.experiment) first")
        }
        return store.directory(for: run)
    }

    /// The summary of another, finished run (one this experiment depends on): its final metrics,
    /// or that it diverged.
    public func summary(of run: RunConfig) throws -> RunSummary {
        guard let store, let summary = try store.summary(run) else {
            throw SuiteError("\(config.experiment) needs the finished run \(run.label) (key \(run.key)); run experiment \(run.experiment) first")
        }
        return summary
    }

    func flush() throws {
        lastFlush = Date()
        do {
            try output.write(contentsOf: Data(buffer.utf8))
        } catch {
            throw SuiteError.write(metricsFile, error)
        }
        buffer = ""
    }
}

/// Raised by `RunContext.log` when a metric is NaN or infinite.
public struct RunDiverged: Error, CustomStringConvertible {
    public let step: Int, metric: String, value: Double
    public var description: String { "diverged at step \(step): \(metric) = \(value)" }
}
