import Demo
import Foundation
import InputFuzzing
import Suite

/// A temporary project folder with its own results, plots and reproductions: the demo's shipped
/// `experiments.yaml` (its only sweep) and nothing else.
public struct Sandbox {
    public let root: URL

    public init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("suite-\(UUID().uuidString)")
        let demo = root.appendingPathComponent("reproductions/demo-least-squares")
        try FileManager.default.createDirectory(at: demo, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: projectRoot.appendingPathComponent("reproductions/demo-least-squares/experiments.yaml"),
                                         to: demo.appendingPathComponent("experiments.yaml"))
    }

    public func workspace(_ catalog: [any Reproduction] = [LeastSquaresDemo()]) -> Workspace {
        Workspace(catalog: catalog, root: root, log: { _ in })
    }

    public func runner(_ w: Workspace, force: Bool = false, shard: Shard = .all, jobs: Int = 2) -> Runner {
        Runner(store: w.store, jobs: jobs, force: force, shard: shard, interactive: false, write: { _ in })
    }

    public func remove() { try? FileManager.default.removeItem(at: root) }
}

extension BaselineFile {
    /// The same baseline with every kernel's values of one metric moved by `delta`.
    public func shifted(_ group: String, _ metric: String, by delta: Double) -> BaselineFile {
        var copy = self
        copy.groups[group]?.metrics[metric] = groups[group]?.metrics[metric]?.mapValues { $0.map { $0 + delta } }
        return copy
    }
}

/// Runs a system tool (mount, umount) to its end, its errors discarded; its exit status, −1 when it cannot start.
public func runTool(_ path: String, _ arguments: [String]) -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return -1 }
    process.waitUntilExit()
    return process.terminationStatus
}
