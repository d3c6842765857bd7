import Figures
import Foundation

/// The folders a user works in and the papers they can run: the operations behind every command.
public struct Workspace: Sendable {
    public var catalog: [any Reproduction]
    /// `reproductions/`: per-paper configs, baselines and READMEs.
    public var reproductionsRoot: URL
    public var store: RunStore
    public var plotsRoot: URL
    public var log: @Sendable (String) -> Void

    public init(catalog: [any Reproduction], root: URL, results: URL? = nil, plots: URL? = nil,
                log: @escaping @Sendable (String) -> Void = { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) }) {
        self.catalog = catalog
        reproductionsRoot = root.appendingPathComponent("reproductions")
        store = RunStore(root: results ?? root.appendingPathComponent("results"))
        plotsRoot = plots ?? root.appendingPathComponent("plots")
        self.log = log
    }

    public func reproduction(_ id: String) throws -> any Reproduction {
        guard let r = catalog.first(where: { $0.id == id }) else {
            let known = catalog.map(\.id)
            throw SuiteError("unknown paper '\(id)'; known papers: \(known.isEmpty ? "(none)" : known.joined(separator: ", "))")
        }
        return r
    }

    /// The papers named, or all of them when none is.
    public func reproductions(_ ids: [String]) throws -> [any Reproduction] {
        ids.isEmpty ? catalog : try ids.map(reproduction)
    }

    public func configDirectory(_ paper: any Reproduction) -> URL { reproductionsRoot.appendingPathComponent(paper.id) }

    public func baselineURL(_ paper: any Reproduction) -> URL { configDirectory(paper).appendingPathComponent("baselines.json") }

    /// The paper's experiments at `scale`, optionally some of them (with the experiments they read,
    /// `Experiment.after`, so that those run first) and with a seed count override.
    public func experiments(_ paper: any Reproduction, scale: Scale, only: [String] = [], seeds: Int? = nil) throws -> [Experiment] {
        var all = try paper.experiments(scale: scale, configDirectory: configDirectory(paper))
        if !only.isEmpty {
            for id in only where !all.contains(where: { $0.id == id }) {
                throw SuiteError("\(paper.id) has no experiment '\(id)'; its experiments: \(all.map(\.id).joined(separator: ", "))")
            }
            var selected = Set(only), frontier = only
            while let id = frontier.popLast() {
                for upstream in all.first(where: { $0.id == id })?.after ?? [] where selected.insert(upstream).inserted {
                    frontier.append(upstream)
                }
            }
            all = all.filter { selected.contains($0.id) }
        }
        if let seeds {
            guard seeds >= 1 else { throw SuiteError("--seeds must be at least 1, got \(seeds)") }
            all = all.map { $0.withSeeds(seeds) }
        }
        return all
    }

    /// Runs (what is not already finished) and says where the results are.
    @discardableResult
    public func run(_ paper: any Reproduction, experiments: [Experiment], runner: Runner) throws -> Runner.Report {
        let total = experiments.reduce(0) { $0 + $1.runs.count }
        log("\(paper.id): \(experiments.count) experiment(s), \(total) run(s)" + (runner.shard == .all ? "" : ", shard \(runner.shard)") + ", \(runner.jobs) job(s)")
        let report = runner.run(experiments, paper: paper.id)
        log("\(paper.id): \(report.executed) run(s) computed, \(report.reused) reused from the store, \(report.diverged) diverged"
            + (report.skippedByShard > 0 ? ", \(report.skippedByShard) left to other shards" : "")
            + "; results in \(store.root.appendingPathComponent(paper.id).path)")
        guard report.failures.isEmpty else {
            throw SuiteError("\(report.failures.count) run(s) failed:\n  " + report.failures.joined(separator: "\n  "))
        }
        return report
    }

    /// Where the figures and tables of `paper` at `scale` go: `plots/<paper>/` for the full scale,
    /// the paper-scale outputs a repository commits; `plots/quick/<paper>/` (git-ignored) for the
    /// quick scale, so that drawing quick figures never overwrites the committed ones.
    public func plotsDirectory(_ paper: any Reproduction, scale: Scale) -> URL {
        scale == .full ? plotsRoot.appendingPathComponent(paper.id) : plotsRoot.appendingPathComponent("quick").appendingPathComponent(paper.id)
    }

    /// Draws every figure and writes every table of the paper from its runs at `scale`, computing
    /// the runs that are missing.
    public func figures(_ paper: any Reproduction, scale: Scale, runner: Runner, renderer: GnuplotRenderer = GnuplotRenderer()) throws -> [URL] {
        guard !paper.figures.isEmpty || !paper.tables.isEmpty else {
            log("\(paper.id): declares no figures")
            return []
        }
        let needed = Array(Set(paper.figures.flatMap(\.experiments) + paper.tables.flatMap(\.experiments)))
        let experiments = try self.experiments(paper, scale: scale, only: needed)
        try run(paper, experiments: experiments, runner: runner)
        let results = ResultSet(paper: paper.id, scale: scale, experiments: experiments, store: store)
        let directory = plotsDirectory(paper, scale: scale)
        var written: [URL] = []
        for request in paper.figures {
            for spec in try request.build(results) {
                let (png, svg) = try renderer.render(spec, into: directory)
                written += [png, svg]
                log("  \(spec.id): \(png.path) (+ .svg, .gp, .csv)")
            }
        }
        for request in paper.tables {
            for table in try request.build(results) {
                let files = try table.write(into: directory)
                written += files
                log("  \(table.id): \(files[1].path) (+ .csv)")
            }
        }
        return written
    }

    /// Runs the quick scale and writes `reproductions/<paper>/baselines.json`.
    public func baseline(_ paper: any Reproduction, runner: Runner) throws -> URL {
        let experiments = try self.experiments(paper, scale: .quick)
        try run(paper, experiments: experiments, runner: runner)
        let file = try BaselineFile.measure(ResultSet(paper: paper.id, scale: .quick, experiments: experiments, store: store))
        let url = baselineURL(paper)
        try file.write(to: url)
        log("\(paper.id): baseline of \(file.groups.count) run group(s) written to \(url.path); review it with `git diff`")
        return url
    }

    /// Quick runs against the stored baselines and the claims; the report's rows say what failed.
    public func check(_ papers: [any Reproduction], runner: Runner) throws -> CheckReport {
        var report = CheckReport()
        for paper in papers {
            let experiments = try self.experiments(paper, scale: .quick)
            try run(paper, experiments: experiments, runner: runner)
            let results = ResultSet(paper: paper.id, scale: .quick, experiments: experiments, store: store)
            try report.compare(results, with: try BaselineFile.read(from: baselineURL(paper)), claims: paper.claims)
        }
        return report
    }
}

extension Experiment {
    /// The same experiment with seeds 0..<n for every group (the group's first run as template).
    public func withSeeds(_ n: Int) -> Experiment {
        var templates: [String: RunConfig] = [:], order: [String] = []
        for run in runs where templates[run.group] == nil {
            templates[run.group] = run
            order.append(run.group)
        }
        let expanded = order.flatMap { group in
            (0..<n).map { seed in
                let t = templates[group]!
                return RunConfig(paper: t.paper, experiment: t.experiment, group: t.group, seed: seed, parameters: t.parameters)
            }
        }
        return Experiment(id: id, title: title, runs: expanded, after: after, analysis: analysis, execute: execute)
    }
}
