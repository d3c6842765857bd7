import Foundation
import Suite
import XCTest

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
    try campaign.damage(original, kinds: Mutator.Kind.textual, seed: seed, cases: cases, into: file, mustName: [file.path], masking: folder) { i in
        for experiment in try paper.experiments(scale: i % 2 == 0 ? .quick : .full, configDirectory: folder) {
            var keyed = Set<String>()
            for run in experiment.runs where keyed.insert(run.group).inserted { _ = run.key }
        }
    }
    return campaign
}

/// The config fuzz test of one paper: `REPRO_FUZZ_ITERATIONS` (default 100) damaged copies of its
/// shipped config, each accepted or rejected by an error naming the file, never a trap; at least a
/// quarter must be rejected, or the damage is not reaching the validation.
public func assertShippedConfigSurvivesFuzzing(_ paper: any Reproduction, seed: UInt64, file: StaticString = #filePath, line: UInt = #line) throws {
    let campaign = try fuzzShippedConfig(paper, cases: FuzzCampaign.iterations(quick: 100), seed: seed)
    print(campaign.summary)
    XCTAssertEqual(campaign.vagueMessages, [], file: file, line: line)
    XCTAssertGreaterThan(campaign.cases - campaign.accepted, campaign.cases / 4, "the damage must reach the validation", file: file, line: line)
}
