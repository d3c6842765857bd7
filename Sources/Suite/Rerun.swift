import Engine
import Foundation

/// Re-execution of stored runs, compared bit for bit with what the store holds: the evidence that a
/// stored number is exactly what the paper target computes for that config and seed, on this
/// machine, with this build, at this thread count.
extension Runner {
    public struct RerunOutcome: Sendable {
        /// `RunConfig.label` of the run.
        public let label: String
        /// Nil when metrics.csv and every final metric are bit-identical; else what differs.
        public let difference: String?
    }

    /// `count` finished runs spread evenly over `runs` (sorted by experiment, group and seed), so
    /// that every experiment with stored runs is sampled when `count` allows.
    public func rerunSample(_ runs: [(Experiment, RunConfig)], count: Int) -> [(Experiment, RunConfig)] {
        let finished = runs.filter { store.isFinished($0.1) }
            .sorted { ($0.1.experiment, $0.1.group, $0.1.seed) < ($1.1.experiment, $1.1.group, $1.1.seed) }
        guard finished.count > count else { return finished }
        return (0..<count).map { finished[$0 * finished.count / count] }
    }

    /// Re-executes each run into a scratch folder under the store with every core (whatever thread
    /// count the stored run had), and compares its metrics and final metrics bit for bit with the
    /// stored ones. Runs that read other runs' artifacts read the stored ones.
    public func rerun(_ runs: [(Experiment, RunConfig)]) -> [RerunOutcome] {
        let fm = FileManager.default
        let previousThreads = BLAS.threads
        BLAS.threads = ProcessInfo.processInfo.activeProcessorCount
        defer { BLAS.threads = previousThreads }
        let progress = ProgressReporter(total: runs.count, interactive: interactive, write: write)
        var outcomes: [RerunOutcome] = []
        for (experiment, run) in runs {
            let label = run.label
            progress.started("rerun " + label)
            let scratch = store.temporaryDirectory(for: run).appendingPathExtension("rerun")
            defer { try? fm.removeItem(at: scratch) }
            let difference: String?
            do {
                try fm.createDirectory(at: scratch, withIntermediateDirectories: true)
                let (context, divergence) = try compute(experiment, run, in: scratch, memory: memory.budget(concurrentRuns: 1))
                difference = try compare(run, metrics: scratch.appendingPathComponent("metrics.csv"), measured: context.measuredColumns,
                                         final: context.recordedFinal, diverged: divergence != nil)
            } catch {
                difference = "could not re-execute: \(error)"
            }
            outcomes.append(RerunOutcome(label: label, difference: difference))
            progress.finished("rerun " + label, note: difference == nil ? "bit-identical" : "DIFFERS: \(difference!)", ending: difference == nil ? .done : .failed)
        }
        progress.close()
        return outcomes
    }

    /// The first difference between the stored run and the rerun's metrics (measured columns, such
    /// as training seconds, excepted: they are the machine's, not the computation's).
    private func compare(_ run: RunConfig, metrics: URL, measured: Set<String>, final: [String: Double], diverged: Bool) throws -> String? {
        guard let stored = try store.summary(run) else { return "the stored run disappeared" }
        if stored.diverged != diverged { return "stored run diverged: \(stored.diverged), rerun diverged: \(diverged)" }
        let old = try store.metrics(run)
        let new = try MetricsTable(csv: try String(contentsOf: metrics, encoding: .utf8), source: metrics.path)
        if old.columns != new.columns { return "metrics.csv columns: stored \(old.columns), rerun \(new.columns)" }
        if old.rows.count != new.rows.count { return "metrics.csv rows: stored \(old.rows.count), rerun \(new.rows.count)" }
        for (r, (a, b)) in zip(old.rows, new.rows).enumerated() {
            for (c, name) in old.columns.enumerated() where !measured.contains(name) && a[c].bitPattern != b[c].bitPattern {
                return "metrics.csv row \(r + 1), \(name): stored \(a[c]), rerun \(b[c])"
            }
        }
        for name in Set(stored.final.keys).union(final.keys).sorted() where stored.final[name]?.bitPattern != final[name]?.bitPattern {
            return "final \(name): stored \(stored.final[name].map { "\($0)" } ?? "absent"), rerun \(final[name].map { "\($0)" } ?? "absent")"
        }
        return nil
    }
}
