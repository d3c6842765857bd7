import Foundation
import Demo
@testable import Suite

/// A temporary project folder with its own results, plots and reproductions.
struct Sandbox {
    let root: URL
    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("suite-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }
    func workspace(_ catalog: [any Reproduction] = [LeastSquaresDemo()]) -> Workspace {
        Workspace(catalog: catalog, root: root, log: { _ in })
    }
    func runner(_ w: Workspace, force: Bool = false, shard: Shard = .all, jobs: Int = 2) -> Runner {
        Runner(store: w.store, jobs: jobs, force: force, shard: shard, interactive: false, write: { _ in })
    }
    func remove() { try? FileManager.default.removeItem(at: root) }
}

extension BaselineFile {
    /// The same baseline with every kernel's values of one metric moved by `delta`.
    func shifted(_ group: String, _ metric: String, by delta: Double) -> BaselineFile {
        var copy = self
        copy.groups[group]?.metrics[metric] = groups[group]?.metrics[metric]?.mapValues { $0.map { $0 + delta } }
        return copy
    }
}
