import Engine
import Foundation

/// The finished runs of one paper at one scale, as figures and claims read them.
public struct ResultSet: Sendable {
    public let paper: String
    public let scale: Scale
    public let experiments: [Experiment]
    public let store: RunStore
    /// Claim id → kernel → whether the claim held on that kernel's runs, from the baseline of this
    /// scale (`BaselineFile.claims`); empty when there is none. Claims the kernels disagree on are
    /// inconclusive here (`ClaimVerdict.of`).
    public let kernelOutcomes: [String: [String: Claim.Decision]]
    /// `reproductions/<paper>/reference`: results of other implementations that tables set beside
    /// the runs (committed CSVs, e.g. RecBole's); nil where a caller has none.
    public let referenceDirectory: URL?
    /// `Workspace.commandOptions`, for the commands messages suggest.
    public var commandOptions = ""

    public init(paper: String, scale: Scale, experiments: [Experiment], store: RunStore, kernelOutcomes: [String: [String: Claim.Decision]] = [:],
                referenceDirectory: URL? = nil) {
        self.paper = paper
        self.scale = scale
        self.experiments = experiments
        self.store = store
        self.kernelOutcomes = kernelOutcomes
        self.referenceDirectory = referenceDirectory
    }

    public func experiment(_ id: String) throws -> Experiment {
        guard let e = experiments.first(where: { $0.id == id }) else {
            throw SuiteError("\(paper): no experiment '\(id)' at \(scale) scale (have: \(experiments.map(\.id).joined(separator: ", ")))")
        }
        return e
    }

    /// Group names of an experiment in declaration order.
    public func groups(_ experiment: String) throws -> [String] {
        var seen = Set<String>(), order: [String] = []
        for run in try self.experiment(experiment).runs where seen.insert(run.group).inserted { order.append(run.group) }
        return order
    }

    /// "[full scale, 5 seeds each]": what a figure or table title says it was drawn from, so a
    /// quick-scale figure is never mistaken for the paper-scale one. The count is runs (seeds) per
    /// group of `experiments`, a range when the groups differ ("[quick scale, 2–3 seeds each]").
    public func scaleTag(_ experiments: String...) throws -> String {
        var counts: [Int] = []
        for id in experiments {
            counts += Dictionary(grouping: try experiment(id).runs, by: \.group).values.map(\.count)
        }
        let (low, high) = (counts.min() ?? 0, counts.max() ?? 0)
        let runs = high == 1 ? "1 run each" : low == high ? "\(high) seeds each" : "\(low)–\(high) seeds each"
        return "[\(scale.rawValue) scale, \(runs)]"
    }

    public func runs(_ experiment: String, group: String) throws -> [RunConfig] {
        let runs = try self.experiment(experiment).runs.filter { $0.group == group }
        guard !runs.isEmpty else { throw SuiteError("\(paper)/\(experiment): no run group '\(group)'") }
        return runs
    }

    public func summaries(_ experiment: String, group: String) throws -> [RunSummary] {
        try runs(experiment, group: group).map { run in
            let command = "`repro run \(paper) --experiment \(experiment) --scale \(scale.rawValue)\(commandOptions)`"
            switch store.state(run) {
            case .finished(let summary): return summary
            case .missing: throw SuiteError("\(paper)/\(experiment)/\(group) seed \(run.seed) has not been run; \(command) computes it")
            case .damaged(let why):
                throw SuiteError("\(paper)/\(experiment)/\(group) seed \(run.seed) is damaged: \(why); \(command) moves its folder to "
                                 + "\(store.quarantineRoot(paper: paper).path) and computes it again")
            }
        }
    }

    /// A final metric across the seeds of a group; diverged runs count as +∞.
    public func finalValues(_ experiment: String, group: String, metric: String) throws -> [Double] {
        try summaries(experiment, group: group).map { s in
            guard let v = s.metric(metric) else {
                throw SuiteError("\(paper)/\(experiment)/\(group) seed \(s.config.seed) has no final metric '\(metric)' (has: \(s.final.keys.sorted().joined(separator: ", ")))")
            }
            return v
        }
    }

    /// "experiment/group" → how many of its runs are not finished in the store.
    public func incompleteGroups() throws -> [String: Int] {
        var missing: [String: Int] = [:]
        for experiment in experiments {
            for run in experiment.runs where !store.isFinished(run) { missing["\(experiment.id)/\(run.group)", default: 0] += 1 }
        }
        return missing
    }

    /// "experiment/group" → how many of its run folders are damaged (counted in `incompleteGroups` too).
    public func damagedGroups() -> [String: Int] {
        var damaged: [String: Int] = [:]
        for experiment in experiments {
            for run in experiment.runs where store.state(run).problem != nil { damaged["\(experiment.id)/\(run.group)", default: 0] += 1 }
        }
        return damaged
    }

    /// `finalValues` with each run's seed, for comparisons made seed by seed.
    public func runValues(_ experiment: String, group: String, metric: String) throws -> RunValues {
        RunValues(seeds: try runs(experiment, group: group).map(\.seed), values: try finalValues(experiment, group: group, metric: metric))
    }

    /// Every logged value of `metric`, one array per run of the group (in seed order).
    public func metricValues(_ experiment: String, group: String, metric: String) throws -> [[Double]] {
        try runs(experiment, group: group).map { try store.metrics($0).required(metric) }
    }

    /// Per logged step, the quantiles `probabilities` of `metric` across the seeds of a group. A run
    /// that diverged counts as +∞ from its divergence on, so upper quantiles show it.
    public func quantilesAlongRun(_ experiment: String, group: String, metric: String, x: String = "step",
                                  probabilities: [Double]) throws -> [(x: Double, quantiles: [Double])] {
        let tables = try runs(experiment, group: group).map { try store.metrics($0) }
        var grid: [Double] = []
        var columns: [[Double]] = []
        for (i, t) in tables.enumerated() {
            let (xs, ys) = (try t.required(x), try t.required(metric))
            if i == 0 || xs.count > grid.count { grid = xs }
            columns.append(ys)
        }
        return grid.indices.map { row in
            let values = columns.map { row < $0.count ? ($0[row].isNaN ? .infinity : $0[row]) : .infinity }
            return (grid[row], Quantiles.of(values, probabilities))
        }
    }
}
