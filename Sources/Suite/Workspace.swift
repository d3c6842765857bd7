import Engine
import Figures
import Foundation

/// The folders a user works in and the papers they can run: the operations behind every command.
public struct Workspace: Sendable {
    public var catalog: [any Reproduction]
    /// The project folder; the report names the files it read relative to it.
    public var root: URL
    /// `reproductions/`: per-paper configs, baselines and READMEs.
    public var reproductionsRoot: URL
    public var store: RunStore
    public var plotsRoot: URL
    /// Where `repro report` writes its site: `report/` (git-ignored) unless set.
    public var reportDirectory: URL
    public var log: @Sendable (String) -> Void
    /// The most runs one command expands its sweeps to (`--max-runs`): a mistyped seed count is
    /// refused with the count, before the runs are built (each run's config takes memory).
    public var maxRuns = Workspace.defaultMaxRuns
    /// The options a follow-up command needs to work on the same folders (`--root`, `--results`,
    /// `--plots` as the user gave them, each with a leading space): appended to every command a
    /// message suggests, so the suggestion works where the user works.
    public var commandOptions = ""
    /// Ten times the largest sweep shipped (the sign methods' 14 412 full-scale runs).
    public static let defaultMaxRuns = 200_000

    public init(catalog: [any Reproduction], root: URL, results: URL? = nil, plots: URL? = nil,
                log: @escaping @Sendable (String) -> Void = { StandardStreams.message($0 + "\n") }) {
        self.catalog = catalog
        self.root = root
        reproductionsRoot = root.appendingPathComponent("reproductions")
        store = RunStore(root: results ?? root.appendingPathComponent("results"))
        plotsRoot = plots ?? root.appendingPathComponent("plots")
        reportDirectory = root.appendingPathComponent("report")
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

    /// `baselines.json` (quick scale, what `repro check` compares) or `baselines-full.json`.
    public func baselineURL(_ paper: any Reproduction, scale: Scale = .quick) -> URL {
        configDirectory(paper).appendingPathComponent(BaselineFile.fileName(scale))
    }

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
            guard (1...ConfigCheck.largestSeeds).contains(seeds) else {
                throw SuiteError("--seeds must be 1…\(ConfigCheck.largestSeeds) (the bound of a config's seeds), got \(seeds)")
            }
            let groups = all.reduce(0) { $0 + Set($1.runs.map(\.group)).count }
            try checkRunCount(groups * seeds, of: paper, what: "\(groups) run group(s) × \(seeds) seeds")
            all = all.map { $0.withSeeds(seeds) }
        }
        try checkRunCount(all.reduce(0) { $0 + $1.runs.count }, of: paper, what: "its experiments at \(scale.rawValue) scale")
        return all
    }

    private func checkRunCount(_ count: Int, of paper: any Reproduction, what: String) throws {
        guard count > maxRuns else { return }
        throw SuiteError("\(paper.id): \(what) make \(count) runs, more than the limit of \(maxRuns) runs per command; "
                         + "check the seed and sweep sizes, or raise the limit with --max-runs")
    }

    /// Runs (what is not already finished) and says where the results are.
    @discardableResult
    public func run(_ paper: any Reproduction, experiments: [Experiment], runner: Runner) throws -> Runner.Report {
        let total = experiments.reduce(0) { $0 + $1.runs.count }
        log("\(paper.id): \(experiments.count) experiment(s), \(total) run(s)" + (runner.shard == .all ? "" : ", shard \(runner.shard)") + ", \(runner.jobs) job(s)")
        let report = runner.run(experiments, paper: paper.id)
        log("\(paper.id): \(report.executed) run(s) computed, \(report.reused) reused from the store, \(report.diverged) diverged"
            + (report.skippedByShard > 0 ? ", \(report.skippedByShard) left to other shards" : "")
            + (report.resumed.isEmpty ? "" : ", \(report.resumed.count) continued from a checkpoint")
            + (report.quarantined.isEmpty ? "" : ", \(report.quarantined.count) damaged run folder(s) moved to \(store.quarantineRoot(paper: paper.id).path) and computed again")
            + "; results in \(store.root.appendingPathComponent(paper.id).path)")
        if let signal = report.interruptedBy {
            let name = signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "signal \(signal)"
            let saved = report.saved.isEmpty ? "" : "; \(report.saved.count) saved at a checkpoint, which the next attempt continues ("
                + report.saved.joined(separator: ", ") + ")"
            let lost = report.discarded.isEmpty ? "" : "; \(report.discarded.count) stopped before their end, to be computed again"
            let failed = report.failures.isEmpty ? "" : "\n\(report.failures.count) run(s) failed before the stop:\n  " + report.failures.joined(separator: "\n  ")
            throw SuiteError("stopped by \(name): \(report.executed) run(s) finished and stored\(saved)\(lost); \(report.notStarted) not started. "
                             + "Run the same command again to continue (finished runs are reused, saved ones resume)\(failed)", kind: .interrupted(signal))
        }
        if let failure = report.writeFailure {
            throw SuiteError("\(failure.description). Runs finished before it are in the store; "
                             + "\(report.notStarted) run(s) were not started; the same command continues once the write can succeed", kind: .io)
        }
        guard report.failures.isEmpty else {
            throw SuiteError("\(report.failures.count) run(s) failed:\n  " + report.failures.joined(separator: "\n  "), kind: .failed)
        }
        return report
    }

    /// Where the figures and tables of `paper` at `scale` go: `plots/<paper>/` for the full scale,
    /// the paper-scale outputs a repository commits; `plots/quick/<paper>/` (git-ignored) for the
    /// quick scale, so that drawing quick figures never overwrites the committed ones.
    public func plotsDirectory(_ paper: any Reproduction, scale: Scale) -> URL {
        scale == .full ? plotsRoot.appendingPathComponent(paper.id) : plotsRoot.appendingPathComponent("quick").appendingPathComponent(paper.id)
    }

    /// `url` relative to the project folder when it lies inside it: how the report names the files it read.
    public func relativePath(_ url: URL) -> String {
        let base = root.standardizedFileURL.path + "/", path = url.standardizedFileURL.path
        return path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path
    }

    /// Draws every figure and writes every table of the paper from its runs at `scale`. Missing
    /// quick runs are computed (seconds each); missing full-scale runs only with `computeMissing`,
    /// since a paper-scale sweep can take an hour: otherwise the log says how many are missing, a
    /// time estimate and the command, and the figures that need them are skipped.
    public func figures(_ paper: any Reproduction, scale: Scale, runner: Runner, computeMissing: Bool? = nil,
                        renderer: GnuplotRenderer = GnuplotRenderer()) throws -> [URL] {
        guard !paper.figures.isEmpty || !paper.tables.isEmpty || !paper.claims.isEmpty else {
            log("\(paper.id): declares no figures")
            return []
        }
        let claimExperiments = Array(Set(paper.claims.flatMap(\.experiments)))
        let needed = Array(Set(paper.figures.flatMap(\.experiments) + paper.tables.flatMap(\.experiments) + claimExperiments))
        let experiments = try self.experiments(paper, scale: scale, only: needed)
        if computeMissing ?? (scale == .quick) {
            try run(paper, experiments: experiments, runner: runner)
        } else {
            reportMissing(paper, experiments, scale: scale, jobs: runner.jobs)
        }
        let results = try self.results(paper, scale: scale, experiments: experiments)
        let directory = plotsDirectory(paper, scale: scale)
        var written: [URL] = []
        func complete(_ ids: [String]) -> Bool {
            experiments.filter { e in ids.contains(e.id) }.allSatisfy { e in e.runs.allSatisfy(store.isFinished) }
        }
        for request in paper.figures {
            guard complete(request.experiments) else {
                log("  \(request.id): skipped, its \(scale.rawValue)-scale runs are not all finished")
                continue
            }
            for spec in try request.build(results) {
                let (png, svg) = try renderer.render(spec, into: directory)
                written += [png, svg]
                log("  \(spec.id): \(png.path) (+ .svg, .gp, .csv)")
            }
        }
        for request in paper.tables {
            guard complete(request.experiments) else {
                log("  \(request.id): skipped, its \(scale.rawValue)-scale runs are not all finished")
                continue
            }
            for table in try request.build(results) {
                let files = try table.write(into: directory)
                written += files
                log("  \(table.id): \(files[1].path) (+ .csv)")
            }
        }
        // All claims or none: a claims file with the unfinished ones "not evaluated" would replace
        // a complete one written earlier.
        if !paper.claims.isEmpty {
            if complete(claimExperiments) {
                let claims = paper.claims.map { ClaimResult.evaluate($0, on: results, kernelOutcomes: results.kernelOutcomes[$0.id]) }
                let files = try ClaimsFile(paper: paper.id, scale: scale, claims: claims).write(into: directory, claims: paper.claims)
                written += files
                log("  \(ClaimsFile.name): \(files[0].path) (+ .md, .csv)")
            } else {
                log("  \(ClaimsFile.name): skipped, its \(scale.rawValue)-scale runs are not all finished")
            }
        }
        return written
    }

    /// Logs how many runs of `experiments` are not finished, an estimate of their time from the
    /// finished ones (same experiment, `jobs` at a time), and the command that computes them.
    func reportMissing(_ paper: any Reproduction, _ experiments: [Experiment], scale: Scale, jobs: Int) {
        var missing = 0, total = 0, seconds = 0.0, estimable = true
        for experiment in experiments {
            for run in experiment.runs { if let why = store.state(run).problem { log("  \(store.damaged(run, why))") } }
            let finished = experiment.runs.filter(store.isFinished)
            let absent = experiment.runs.count - finished.count
            missing += absent
            total += experiment.runs.count
            guard absent > 0 else { continue }
            let walls = finished.compactMap { try? store.summary($0)?.wallSeconds }
            if walls.isEmpty { estimable = false } else { seconds += Double(absent) * walls.reduce(0, +) / Double(walls.count) }
        }
        guard missing > 0 else { return }
        let estimate = estimable ? String(format: "about %.0f min with %d job(s)", seconds / 60 / Double(max(jobs, 1)), jobs)
                                 : "time unknown until some of them have run"
        log("\(paper.id): \(missing) of \(total) \(scale.rawValue)-scale run(s) are not finished (\(estimate)); "
            + "figures that need them are skipped. Compute them with `repro run \(paper.id) --scale \(scale.rawValue)\(commandOptions)` "
            + "or `repro figures \(paper.id) --scale \(scale.rawValue) --run\(commandOptions)`")
    }

    /// The runs of `experiments` in the store, with the claim outcomes of the baseline of `scale`
    /// that make kernel-dependent claims inconclusive.
    public func results(_ paper: any Reproduction, scale: Scale, experiments: [Experiment], store: RunStore? = nil) throws -> ResultSet {
        let outcomes = try BaselineFile.read(from: baselineURL(paper, scale: scale))?.claims ?? [:]
        var set = ResultSet(paper: paper.id, scale: scale, experiments: experiments, store: store ?? self.store, kernelOutcomes: outcomes,
                            referenceDirectory: configDirectory(paper).appendingPathComponent("reference"))
        set.commandOptions = commandOptions
        return set
    }

    /// Writes `reproductions/<paper>/baselines.json` (or `baselines-full.json`) from the runs of
    /// `scale` computed under each kernel: `kernelStores` maps an OpenBLAS core to the store its
    /// runs are in (`BaselineKernels` fills them), `records` says what computed each. `kept` are
    /// kernels of the existing file, recorded elsewhere (an AVX-512 machine), to keep beside the
    /// new ones.
    public func baseline(_ paper: any Reproduction, scale: Scale = .quick, kernelStores: [String: RunStore],
                         records: [String: BaselineFile.KernelRecord], keeping kept: [String] = []) throws -> BaselineFile {
        let experiments = try self.experiments(paper, scale: scale)
        let sets = Dictionary(uniqueKeysWithValues: kernelStores.map { kernel, store in
            (kernel, ResultSet(paper: paper.id, scale: scale, experiments: experiments, store: store))
        })
        var file = try BaselineFile.measure(sets, records: records, claims: paper.claims)
        if !kept.isEmpty {
            guard let old = try BaselineFile.read(from: baselineURL(paper, scale: scale)) else {
                throw SuiteError("\(baselineURL(paper, scale: scale).path) does not exist, so no kernel of it can be kept")
            }
            try file.keep(kept, from: old)
        }
        try file.write(to: baselineURL(paper, scale: scale))
        let distinct = file.distinctKernels
        log("\(paper.id): baseline of \(file.groups.count) run group(s) under \(file.kernels.count) kernel(s) "
            + "(\(file.kernels.keys.sorted().joined(separator: ", ")); \(distinct.count) distinct: \(distinct.joined(separator: ", "))) "
            + "written to \(baselineURL(paper, scale: scale).path); review it with `git diff`")
        for (claim, outcomes) in file.claims.sorted(by: { $0.key < $1.key }) where Set(outcomes.values).count > 1 {
            let list = Claim.Decision.allCases.compactMap { d -> String? in
                let kernels = outcomes.filter { $0.value == d }.keys.sorted()
                return kernels.isEmpty ? nil : "\(d.rawValue) under \(kernels.joined(separator: ", "))"
            }
            log("  claim \(claim) depends on the kernel at \(scale.rawValue) scale (\(list.joined(separator: "; "))): `check` reports it inconclusive")
        }
        return file
    }

    /// The quick runs in this workspace's store, under this process's kernel, as a one-kernel
    /// baseline (what the tests and a machine without other kernels record).
    @discardableResult
    public func baseline(_ paper: any Reproduction, runner: Runner) throws -> URL {
        try run(paper, experiments: try experiments(paper, scale: .quick), runner: runner)
        let kernel = BLASLibrary.shared.core
        _ = try baseline(paper, kernelStores: [kernel: store], records: [kernel: .current])
        return baselineURL(paper)
    }

    /// Runs of `scale` against the stored baselines and the claims; the report's rows say what
    /// failed. Quick runs missing from the store are computed; full-scale ones are not (an hour or
    /// more each paper): the groups missing are listed and the rest compared. With `rerun` > 0,
    /// that many stored runs per paper are then re-executed and must match the store bit for bit
    /// (`Runner.rerun`); their outcomes are in `report.reruns`.
    public func check(_ papers: [any Reproduction], runner: Runner, scale: Scale = .quick, rerun: Int = 0) throws -> CheckReport {
        var report = CheckReport()
        for paper in papers {
            let experiments = try self.experiments(paper, scale: scale)
            if scale == .quick { try run(paper, experiments: experiments, runner: runner) }
            let results = try self.results(paper, scale: scale, experiments: experiments)
            try report.compare(results, with: try BaselineFile.read(from: baselineURL(paper, scale: scale)), claims: paper.claims)
            if rerun > 0 {
                let sample = runner.rerunSample(experiments.flatMap { e in e.runs.filter(store.isFinished).map { (e, $0) } }, count: rerun)
                report.reruns += runner.rerun(sample).map { (paper: paper.id, outcome: $0) }
            }
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
                return RunConfig(paper: t.paper, experiment: t.experiment, group: t.group, fields: t.groupFields, seed: seed, parameters: t.parameters)
            }
        }
        var reseeded = self
        reseeded.runs = expanded
        return reseeded
    }
}
