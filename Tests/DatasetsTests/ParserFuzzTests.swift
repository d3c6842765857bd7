import Foundation
import InputFuzzing
import XCTest
@testable import Datasets

/// Every parser fed damaged copies of its shipped sample: truncated gzip, flipped bytes, a wrong
/// IDX magic or dimension, a `user item` line with one column or a non-number, NaN/inf strings. A
/// case parses or throws an error naming the dataset; none traps or reads out of bounds.
final class ParserFuzzTests: XCTestCase {
    static let cases = FuzzCampaign.iterations(quick: 80)
    static let samples = projectRoot.appendingPathComponent("datasets")

    func testDamagedInteractionsAreRejectedNeverTrap() throws {
        try fuzz(AmazonVideoGames.spec, seed: 11)
    }

    func testDamagedCorpusIsRejectedNeverTraps() throws {
        try fuzz(TinyShakespeare.spec, seed: 22)
    }

    func testDamagedFashionMNISTFilesAreRejectedNeverTrap() throws {
        try fuzz(FashionMNIST.spec, seed: 33)
    }

    func testDamagedCacheFileIsDetectedNeverTraps() throws {
        let folder = try makeTemporaryDirectory(self)
        let spec = AmazonVideoGames.spec
        let parsed = try spec.parser.parse(files: sampleFiles(spec), dataset: spec.name)
        let file = folder.appendingPathComponent("cache.rds")
        try CacheFile.write(parsed, dataset: spec.name, preprocessingVersion: spec.preprocessingVersion, rawSHA256: [:], isSample: true, to: file)
        let original = Array(try Data(contentsOf: file))
        var campaign = FuzzCampaign("\(spec.name) cache file")
        try campaign.damage(original, kinds: Mutator.Kind.binary, seed: 44, cases: Self.cases, into: file, mustName: [spec.name],
                            masking: folder) { _ in _ = try CacheFile.read(file, dataset: spec.name) }
        report(campaign, expectAllRejected: true)
    }

    func sampleFiles(_ spec: DatasetSpec) -> [String: URL] {
        spec.sampleFiles.mapValues { Self.samples.appendingPathComponent($0) }
    }

    /// Each case damages one of the sample's raw files: text as text; a gzip file either as
    /// compressed bytes or, every other time, as the IDX bytes inside it (stored uncompressed, which
    /// the reader also accepts), so the header checks are reached past the gzip checksum.
    func fuzz(_ spec: DatasetSpec, seed: UInt64) throws {
        let folder = try makeTemporaryDirectory(self)
        let originals = sampleFiles(spec)
        let names = originals.keys.sorted()
        var campaign = FuzzCampaign("\(spec.name) sample")
        for i in 0..<Self.cases {
            let name = names[i % names.count]
            var mutator = Mutator(seed: seed &+ UInt64(i))
            let compressed = name.hasSuffix(".gz"), inside = compressed && i % 2 == 1
            let original = inside ? try inflated(originals[name]!, dataset: spec.name) : Array(try Data(contentsOf: originals[name]!))
            let (damaged, kind) = mutator.mutate(original, kinds: compressed ? Mutator.Kind.binary : Mutator.Kind.textual)
            let file = folder.appendingPathComponent(inside ? String(name.dropLast(3)) : name)
            try Data(damaged).write(to: file)
            var files = originals
            files[name] = file
            campaign.run("case \(i), \(name)\(inside ? " (inside the gzip)" : ""), \(kind.rawValue)", mustName: [spec.name], masking: folder) {
                _ = try spec.parser.parse(files: files, dataset: spec.name)
            }
            try FileManager.default.removeItem(at: file)
        }
        report(campaign, expectAllRejected: false)
    }

    func inflated(_ url: URL, dataset: String) throws -> [UInt8] {
        let source = try openByteSource(url, dataset: dataset)
        var bytes: [UInt8] = [], chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
            if n == 0 { return bytes }
            bytes += chunk[..<n]
        }
    }

    func report(_ campaign: FuzzCampaign, expectAllRejected: Bool) {
        print(campaign.summary)
        XCTAssertEqual(campaign.vagueMessages, [])
        if expectAllRejected {
            XCTAssertEqual(campaign.accepted, 0, "every changed byte of a cache file must be detected")
        } else {
            XCTAssertGreaterThan(campaign.cases - campaign.accepted, campaign.cases / 4, "the damage must reach the parser")
        }
    }
}
