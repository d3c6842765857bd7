import ArgumentParser
import Engine
import Foundation
import Papers
import Suite

/// Options every command that touches runs shares.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "Project folder holding reproductions/ (default: $REPRO_ROOT or the current directory).")
    var root: String?

    @Option(name: .long, help: "Run store (default: $REPRO_RESULTS or <root>/results).")
    var results: String?

    @Option(name: .long, help: "Where figures go (default: <root>/plots).")
    var plots: String?

    @Option(name: .shortAndLong, help: "Runs executed in parallel (default: the number of cores).")
    var jobs: Int?

    @Flag(name: .shortAndLong, help: "Say only failures, stops and the result.") var quiet = false
    @Flag(name: .long, help: "Also a line per finished run and per logged row of a running run.") var verbose = false

    @Option(name: .long, help: "Most runs one command may expand its sweeps to (default: \(Workspace.defaultMaxRuns)).")
    var maxRuns: Int?

    @Option(name: .long, help: ArgumentHelp("Memory one run may take, e.g. 16G or 512M; 'none' skips the check (default: the available memory shared by the runs in flight).",
                                            discussion: "A run that trains a model estimates its peak before its first step and is refused when the estimate exceeds this."))
    var memoryLimit: String?

    /// `--jobs`, or every core of this machine.
    var jobCount: Int { jobs ?? ProcessInfo.processInfo.activeProcessorCount }

    /// The workspace of these options, its folders checked for what the command does with them
    /// (`WorkspacePaths`) before any work.
    func workspace(results resultsUse: WorkspacePaths.Use = .read, plots plotsUse: WorkspacePaths.Use = .read) throws -> Workspace {
        let paths = try WorkspacePaths(root: root, results: results, plots: plots, resultsUse: resultsUse, plotsUse: plotsUse)
        guard !(quiet && verbose) else { throw ValidationError("--quiet and --verbose exclude each other") }
        var workspace = Workspace(catalog: Catalog.reproductions, root: paths.root, results: paths.results, plots: paths.plots)
        if quiet { workspace.log = { _ in } }
        workspace.commandOptions = [("--root", root), ("--results", results), ("--plots", plots)]
            .compactMap { name, value in value.map { " \(name) \(Self.shellQuoted($0))" } }.joined()
        if let maxRuns {
            guard maxRuns >= 1 else { throw ValidationError("--max-runs must be at least 1, got \(maxRuns)") }
            workspace.maxRuns = maxRuns
        }
        return workspace
    }

    /// What `--memory-limit` asks for (checked before any work).
    func memorySetting() throws -> MemoryBudget.Setting {
        guard let memoryLimit else { return .available }
        do {
            return try MemoryBudget.Setting(parsing: memoryLimit)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// `text` as one shell word: as it is when it needs no quoting, else in single quotes.
    static func shellQuoted(_ text: String) -> String {
        let plain = text.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "/._-+,:=@%".unicodeScalars.contains($0) }
        return plain ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    func runner(workspace: Workspace, force: Bool = false, shard: Shard = .all) throws -> Runner {
        guard jobCount >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobCount)") }
        var runner = Runner(store: workspace.store, jobs: jobCount, force: force, shard: shard)
        runner.stop = StopRequest.signals
        runner.verbosity = quiet ? .quiet : verbose ? .verbose : .normal
        runner.memory = try memorySetting()
        return runner
    }
}

extension Scale: ExpressibleByArgument {}
