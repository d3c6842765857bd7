import ArgumentParser
import Foundation
import Suite

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-hash every run folder of the store and name each one whose files changed since its run finished.",
        discussion: """
        Each run's summary.json records the SHA-256 of the run's other files and of itself. A run \
        folder is damaged when a file changed, is missing or does not read, or when the folder's \
        name is not the key its summary records (a renamed or swapped folder). Every command that \
        reads runs checks them the same way and never uses a damaged one; `repro run` moves it \
        into <results>/<paper>/.quarantine and computes it again. This command checks every \
        folder, those of older configs included. Runs written before digests were recorded are \
        sealed on their first check. Exits with status 1 when a run is damaged.

        Examples:
          repro verify
          repro verify ssm-recsys --results /shared/repro-results
          repro verify demo-least-squares --quarantine
        """)

    @Argument(help: "Papers (default: all).") var papers: [String] = []
    @Flag(name: .long, help: "Move each damaged run folder into <results>/<paper>/.quarantine now.") var quarantine = false
    @OptionGroup var common: CommonOptions

    func run() throws {
        try reportingErrors {
            let workspace = try common.workspace(results: quarantine ? .write : .read)
            let ids = try workspace.reproductions(papers).map(\.id)
            let start = Date()
            let result = StoreVerification(store: workspace.store, papers: ids, quarantine: quarantine)
            for finding in result.damaged {
                let moved = finding.movedTo.map { "; moved to \($0.path)" } ?? (quarantine ? "; could not be moved, move or delete it by hand" : "")
                print("damaged: \(finding.folder.path): \(finding.problem)\(moved)")
            }
            let sealed = result.sealedNow > 0 ? ", \(result.sealedNow) written before digests sealed now" : ""
            print(String(format: "verify: %d run folder(s) of %@ in %@ checked in %.1f s: %d damaged%@",
                         result.checked, ids.joined(separator: ", "), workspace.store.root.path, Date().timeIntervalSince(start),
                         result.damaged.count, sealed))
            guard !result.damaged.isEmpty else { return }
            let experiments = Set(result.damaged.map { "\($0.paper) --experiment \($0.experiment)" }).sorted()
            print("The runs of the current sweeps are computed again by `repro run` (it moves a damaged folder aside first):")
            for e in experiments { print("  repro run \(e)\(workspace.commandOptions)   (add --scale full for full-scale runs)") }
            if !quarantine { print("`repro verify --quarantine\(workspace.commandOptions)` moves every damaged folder aside now, runs of older configs included.") }
            throw ExitCode.failure
        }
    }
}
