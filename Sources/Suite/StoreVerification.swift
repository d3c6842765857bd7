import Foundation

/// Every run folder of some papers in a store, checked against the digests its summary recorded:
/// what `repro verify` reports. Unlike the reads of the other commands, which check the runs of
/// the current sweeps, this walks the folders themselves, so runs of older configs are checked too.
public struct StoreVerification: Sendable {
    public struct Damaged: Sendable {
        public let paper: String, experiment: String
        public let folder: URL
        public let problem: String
        /// Where `quarantine` moved it, if it did.
        public var movedTo: URL?
    }

    /// Run folders checked, and how many of them were written before digests and sealed now.
    public private(set) var checked = 0, sealedNow = 0
    public private(set) var damaged: [Damaged] = []

    /// Checks the run folders `<paper>/<experiment>/<key>` of `papers` in `store`; with
    /// `quarantine`, moves each damaged one into `<paper>/.quarantine`. Folders whose names start
    /// with a dot (quarantine, runs being written) are not runs and are skipped.
    public init(store: RunStore, papers: [String], quarantine: Bool = false) {
        let fm = FileManager.default
        func folders(_ url: URL) -> [String] {
            ((try? fm.contentsOfDirectory(atPath: url.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        }
        for paper in papers {
            let paperFolder = store.root.appendingPathComponent(paper)
            for experiment in folders(paperFolder) {
                for key in folders(paperFolder.appendingPathComponent(experiment)) {
                    let folder = paperFolder.appendingPathComponent(experiment).appendingPathComponent(key)
                    let (state, sealed) = store.inspect(folder, key: key)
                    if state != .missing { checked += 1 }
                    switch state {
                    case .missing: break
                    case .finished: if sealed { sealedNow += 1 }
                    case .damaged(let why):
                        var finding = Damaged(paper: paper, experiment: experiment, folder: folder, problem: why)
                        if quarantine { finding.movedTo = try? store.quarantine(folder, paper: paper, experiment: experiment, reason: why) }
                        damaged.append(finding)
                    }
                }
            }
        }
    }
}
