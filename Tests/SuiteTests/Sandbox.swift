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
