import ArgumentParser
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

    /// `--jobs`, or every core of this machine.
    var jobCount: Int { jobs ?? ProcessInfo.processInfo.activeProcessorCount }

    func workspace() -> Workspace {
        let env = ProcessInfo.processInfo.environment
        let rootURL = URL(fileURLWithPath: root ?? env["REPRO_ROOT"] ?? FileManager.default.currentDirectoryPath)
        let resultsURL = (results ?? env["REPRO_RESULTS"]).map { URL(fileURLWithPath: $0) }
        return Workspace(catalog: Catalog.reproductions, root: rootURL, results: resultsURL, plots: plots.map { URL(fileURLWithPath: $0) })
    }

    func runner(workspace: Workspace, force: Bool = false, shard: Shard = .all) throws -> Runner {
        guard jobCount >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobCount)") }
        return Runner(store: workspace.store, jobs: jobCount, force: force, shard: shard)
    }
}

extension Scale: ExpressibleByArgument {}

/// Runs a command body, turning suite errors into one "error: …" line and a failing exit code.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as SuiteError {
        FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
        throw ExitCode.failure
    }
}
