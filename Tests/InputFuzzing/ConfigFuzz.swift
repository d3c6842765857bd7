import Foundation
import Suite

/// The project folder, for the shipped files the campaigns damage.
public let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Damaged copies of `paper`'s shipped `experiments.yaml`, each read as `repro run` reads it from a
/// temporary folder: decoded and validated (both scales), and one scale's experiments built (every
/// other case the full one) with the key of each group's first run (runs of a group differ only in
/// their seed); no run starts.
public func fuzzShippedConfig(_ paper: any Reproduction, cases: Int, seed: UInt64) throws -> FuzzCampaign {
    let shipped = projectRoot.appendingPathComponent("reproductions/\(paper.id)/experiments.yaml")
    let original = Array(try Data(contentsOf: shipped))
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("config-fuzz-\(paper.id)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("experiments.yaml")

    var campaign = FuzzCampaign("\(paper.id) experiments.yaml")
    for i in 0..<cases {
        var mutator = Mutator(seed: seed &+ UInt64(i))
        let (damaged, kind) = mutator.mutate(original, kinds: Mutator.Kind.textual)
        try Data(damaged).write(to: file)
        campaign.run("case \(i), \(kind.rawValue)", mustName: [file.path], masking: folder) {
            for experiment in try paper.experiments(scale: i % 2 == 0 ? .quick : .full, configDirectory: folder) {
                var keyed = Set<String>()
                for run in experiment.runs where keyed.insert(run.group).inserted { _ = run.key }
            }
        }
    }
    return campaign
}
