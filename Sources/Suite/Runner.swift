import Engine
import Foundation

/// Executes runs into a `RunStore`: skips finished ones (unless forced), runs the rest `jobs` at a
/// time, records NaN/Inf as divergence, and reports progress.
public struct Runner {
    public var store: RunStore
    public var jobs: Int
    public var force: Bool
    public var shard: Shard
    public var interactive: Bool
    /// Where per-run lines and the bar go (stderr by default; tests capture it).
    public var write: @Sendable (String) -> Void
    /// Where a stop is asked for (`StopRequest.signals` in the command line tool); none in tests
    /// that do not interrupt.
    public var stop: StopRequest?
    /// Seconds between two checkpoints of a run that checkpoints, at most (at its next safe point).
    public var checkpointInterval: Double = 120
    /// Seconds between two heartbeats of a running run (`Heartbeat`).
    public var heartbeatInterval: Double = 60
    /// How much progress is said (`--quiet`, `--verbose`).
    public var verbosity: ProgressReporter.Verbosity = .normal
    /// The memory a run may take (`--memory-limit`): runs estimated above it are refused.
    public var memory: MemoryBudget.Setting = .available

    public init(store: RunStore, jobs: Int = ProcessInfo.processInfo.activeProcessorCount, force: Bool = false,
                shard: Shard = .all, interactive: Bool = isatty(STDERR_FILENO) == 1,
                write: @escaping @Sendable (String) -> Void = { StandardStreams.diagnostic($0) }) {
        self.store = store
        self.jobs = max(1, jobs)
        self.force = force
        self.shard = shard
        self.interactive = interactive
        self.write = write
    }

    public struct Report: Sendable {
        public var executed = 0, reused = 0, diverged = 0, skippedByShard = 0
        public var failures: [String] = []
        /// Damaged run folders moved into quarantine (and computed again): run, why, where it went.
        public var quarantined: [String] = []
        /// The first failed write (a full disk, say): no run started after it, and it ends the command.
        public var writeFailure: SuiteError?
        /// Runs not started because a write had failed or a stop was requested.
        public var notStarted = 0
        /// The signal that stopped the work, and the runs it stopped: saved at a checkpoint (they
        /// continue from it on the next attempt) or discarded.
        public var interruptedBy: Int32?
        public var saved: [String] = [], discarded: [String] = []
        /// Runs that continued from a checkpoint of an earlier attempt.
        public var resumed: [String] = []
    }

    /// Runs every run of `experiments` selected by the shard; returns what happened.
    @discardableResult
    public func run(_ experiments: [Experiment], paper: String) -> Report {
        store.removeAbandonedTemporaries(paper: paper)
        var report = Report()
        let all = experiments.flatMap { e in e.runs.map { (e, $0) } }
        let selected = Set(shard.select(all.map(\.1)).map(\.key))
        report.skippedByShard = all.count - selected.count
        var todo: [(Experiment, RunConfig)] = []
        var storedSeconds: [String: [Double]] = [:]
        for (e, run) in all where selected.contains(run.key) {
            var state = store.state(run)
            if case .damaged(let why) = state {
                do {
                    let place = try store.quarantine(run, reason: why)
                    report.quarantined.append("\(run.label): \(why); moved to \(place.path)")
                    write("\(run.label): its folder is damaged (\(why)); moved to \(place.path), computing the run again\n")
                    state = .missing
                } catch {
                    report.failures.append("\(run.label): \(error)")
                    continue
                }
            }
            if let summary = state.summary { storedSeconds[e.id, default: []].append(summary.wallSeconds) }
            if !force && state.summary != nil { report.reused += 1 } else { todo.append((e, run)) }
        }
        guard !todo.isEmpty else { return report }
        // Runs in parallel share the cores: each gets cores/jobs BLAS threads, so a sweep never
        // oversubscribes the machine, and results do not depend on the job count (GEMM results
        // do not depend on the thread count). Exclusive (self-timing) runs get every core, alone.
        let previousThreads = BLAS.threads
        let cores = ProcessInfo.processInfo.activeProcessorCount
        defer { BLAS.threads = previousThreads }
        AllocatorTuning.keepFreedMemoryForReuse()
        stop?.working(true)
        defer { stop?.working(false) }
        // Before a run finishes here, the ETA comes from the stored runs of the same experiments.
        let expected = todo.compactMap { e, _ in storedSeconds[e.id].map { $0.reduce(0, +) / Double($0.count) } }
        let progress = ProgressReporter(total: todo.count, interactive: interactive, verbosity: verbosity,
                                        expectedSeconds: expected.isEmpty ? nil : expected.reduce(0, +) / Double(expected.count), jobs: jobs, write: write)
        let lock = NSLock()
        var shared = report
        func perform(_ experiment: Experiment, _ run: RunConfig, memory budget: MemoryBudget?) {
            let label = run.label
            progress.started(label)
            let (outcome, resumed) = execute(experiment, run, memory: budget, onNote: { progress.note(label, $0) }) { text, fraction in
                progress.progress(label, text, fraction: fraction)
            }
            lock.lock()
            switch outcome {
            case .finished(let seconds): shared.executed += 1; progress.finished(label, note: String(format: "done in %.1fs", seconds))
            case .diverged(let why):
                shared.executed += 1
                shared.diverged += 1
                progress.finished(label, note: "DIVERGED (\(why))", ending: .failed)
            case .failed(let why): shared.failures.append("\(label): \(why)"); progress.finished(label, note: "FAILED: \(why)", ending: .failed)
            case .writeFailed(let error):
                if shared.writeFailure == nil { shared.writeFailure = error }
                progress.finished(label, note: "NOT WRITTEN: \(error)", ending: .failed)
            case .interrupted(let stop):
                shared.interruptedBy = stop.signal
                if stop.saved { shared.saved.append(label) } else { shared.discarded.append(label) }
                progress.finished(label, note: stop.saved ? "STOPPED, checkpoint saved" : "STOPPED, not saved", ending: .stopped)
            }
            if resumed { shared.resumed.append(label) }
            lock.unlock()
        }
        /// Whether a write has failed or a stop was requested: the runs not yet started are not started.
        func stopped() -> Bool {
            lock.withLock {
                if let signal = stop?.signal, shared.interruptedBy == nil { shared.interruptedBy = signal }
                return shared.writeFailure != nil || shared.interruptedBy != nil
            }
        }
        // An experiment that reads another's runs (`Experiment.after`) starts once those finished.
        for wave in Experiment.waves(todo, of: { $0.0.id }, in: experiments) {
            let parallel = wave.filter { !$0.0.exclusive }
            BLAS.threads = max(1, cores / jobs)
            let budget = memory.budget(concurrentRuns: min(jobs, parallel.count))
            var next = 0
            DispatchQueue.concurrentPerform(iterations: min(jobs, parallel.count)) { _ in
                while true {
                    lock.lock()
                    guard next < parallel.count else { lock.unlock(); return }
                    let (experiment, run) = parallel[next]
                    next += 1
                    lock.unlock()
                    if stopped() { lock.withLock { shared.notStarted += 1 } } else { perform(experiment, run, memory: budget) }
                }
            }
            BLAS.threads = cores
            let alone = memory.budget(concurrentRuns: 1)
            for (experiment, run) in wave where experiment.exclusive {
                if stopped() { lock.withLock { shared.notStarted += 1 } } else { perform(experiment, run, memory: alone) }
            }
        }
        progress.close()
        // A stop that came while the last runs finished still ends the command.
        if shared.interruptedBy == nil, let signal = stop?.signal { shared.interruptedBy = signal }
        return shared
    }

    enum Outcome { case finished(Double), diverged(String), failed(String), writeFailed(SuiteError), interrupted(RunInterrupted) }

    /// Executes `run` with its metrics and artifacts in `directory` (which must exist) and other
    /// runs' artifacts read from the store; a divergence is returned, any other error thrown.
    func compute(_ experiment: Experiment, _ run: RunConfig, in directory: URL, memory: MemoryBudget? = nil,
                 onNote: ((String) -> Void)? = nil, onRow: ((String, Double?) -> Void)? = nil) throws -> (RunContext, RunDiverged?) {
        let context = try RunContext(config: run, metricsFile: directory.appendingPathComponent("metrics.csv"), store: store, stop: stop,
                                     checkpointInterval: checkpointInterval)
        context.onRow = onRow
        context.onNote = onNote
        context.memoryBudget = memory
        var divergence: RunDiverged?
        do {
            try experiment.execute(run, context)
        } catch let d as RunDiverged {
            divergence = d
        }
        try context.flush()
        return (context, divergence)
    }

    /// Executes `run` in a temporary folder, the one an interrupted earlier attempt left with a
    /// checkpoint when there is one (then `resumed`), and publishes it.
    private func execute(_ experiment: Experiment, _ run: RunConfig, memory: MemoryBudget?, onNote: @escaping (String) -> Void,
                         onRow: @escaping (String, Double?) -> Void) -> (outcome: Outcome, resumed: Bool) {
        let fm = FileManager.default
        let temporary = store.temporaryDirectory(for: run)
        let final = store.directory(for: run)
        let resumed = store.adoptInterruptedRun(run, as: temporary)
        do {
            if !resumed { try? fm.removeItem(at: temporary) }
            let configFile = temporary.appendingPathComponent("config.json")
            do {
                try fm.createDirectory(at: temporary, withIntermediateDirectories: true)
                try RunIntegrity.encoder().encode(run).write(to: configFile)
            } catch {
                throw SuiteError.write(configFile, error)
            }
            let start = Date()
            let heartbeat = Heartbeat(in: temporary, interval: heartbeatInterval)
            defer { heartbeat.stop() }
            let (context, divergence) = try compute(experiment, run, in: temporary, memory: memory, onNote: onNote, onRow: onRow)
            // Before the folder is sealed: the heartbeat is no file of the run.
            heartbeat.stop()
            let seconds = context.elapsedBefore + Date().timeIntervalSince(start)
            // A finished run needs no checkpoint: its state is its result.
            try? fm.removeItem(at: temporary.appendingPathComponent(CheckpointFile.name))
            let summary = RunSummary(
                key: run.key, config: run, final: context.recordedFinal,
                diverged: divergence != nil, divergence: divergence?.description, wallSeconds: seconds,
                engineVersion: SuiteInfo.version, resultFormatVersion: SuiteInfo.resultFormatVersion,
                gitCommit: RunEnvironment.gitCommit, blasThreads: BLAS.threads, blasVersion: BLAS.library.version,
                blasCore: "\(BLAS.library.core) (\(BLAS.library.selection))", blasLibrary: BLAS.library.path,
                measurements: context.measurements.isEmpty ? nil : context.measurements, host: ProcessInfo.processInfo.hostName,
                finishedAt: RunEnvironment.timestamp())
            let summaryFile = temporary.appendingPathComponent(RunIntegrity.summaryName)
            do {
                try RunIntegrity.sealed(summary, folder: temporary).bytes.write(to: summaryFile)
            } catch {
                throw SuiteError.write(summaryFile, error)
            }
            try store.publish(temporary, as: final, replacing: force)
            store.forget(run)
            return (divergence.map { .diverged($0.description) } ?? .finished(seconds), resumed)
        } catch let stop as RunInterrupted {
            // A saved checkpoint stays, in a folder released by its writer for the next attempt to adopt.
            if stop.saved { _ = rename(temporary.path, store.releasedTemporaryDirectory(for: run).path) } else { try? fm.removeItem(at: temporary) }
            return (.interrupted(stop), resumed)
        } catch let refusal as MemoryRefusal {
            // An earlier attempt's checkpoint waits for an attempt given more memory.
            if resumed { _ = rename(temporary.path, store.releasedTemporaryDirectory(for: run).path) } else { try? fm.removeItem(at: temporary) }
            return (.failed(refusal.description), resumed)
        } catch {
            try? fm.removeItem(at: temporary)
            if let failure = SuiteError.writeFailure(error, in: temporary) { return (.writeFailed(failure), resumed) }
            return (.failed("\(error)"), resumed)
        }
    }
}
