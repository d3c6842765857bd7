import Crypto
import Foundation
import Papers
import Suite
import XCTest

/// Pins the key of every run of every paper at both scales. A key is the store's address of a
/// finished run: if a refactoring moves one, every user's store recomputes that run (hours at full
/// scale) and its baseline no longer finds it. A deliberate change of what a run computes re-records
/// the file: `REPRO_RECORD_RUN_KEYS=1 swift test --filter RunKeyDigestTests`, and the diff shows
/// which experiments moved.
final class RunKeyDigestTests: XCTestCase {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let digestFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("run-key-digests.tsv")

    /// One line per paper, scale and experiment: run count and the SHA-256 (first 16 hex digits) of
    /// its sorted keys.
    static func digests() throws -> String {
        let reproductions = packageRoot.appendingPathComponent("reproductions")
        var lines = ["# paper\tscale\texperiment\truns\tkeys-sha256"]
        for paper in Catalog.reproductions {
            for scale in Scale.allCases {
                let experiments = try paper.experiments(scale: scale, configDirectory: reproductions.appendingPathComponent(paper.id))
                for experiment in experiments {
                    let keys = experiment.runs.map(\.key).sorted().joined(separator: "\n")
                    let digest = SHA256.hash(data: Data(keys.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
                    lines.append([paper.id, scale.rawValue, experiment.id, String(experiment.runs.count), digest].joined(separator: "\t"))
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func testEveryRunKeyIsUnchanged() throws {
        let current = try Self.digests()
        if ProcessInfo.processInfo.environment["REPRO_RECORD_RUN_KEYS"] == "1" {
            try Data(current.utf8).write(to: Self.digestFile, options: .atomic)
            return
        }
        let pinned = try String(contentsOf: Self.digestFile, encoding: .utf8)
        let was = Set(pinned.split(separator: "\n")), now = Set(current.split(separator: "\n"))
        let moved = now.subtracting(was).sorted(), gone = was.subtracting(now).sorted()
        XCTAssert(moved.isEmpty && gone.isEmpty, """
            run keys moved (stored runs of these experiments would be recomputed and their baselines lost):
            pinned:
              \(gone.joined(separator: "\n  "))
            now:
              \(moved.joined(separator: "\n  "))
            If the change is meant to change what these runs compute, re-record with \
            REPRO_RECORD_RUN_KEYS=1 swift test --filter RunKeyDigestTests and say why in the commit.
            """)
    }
}
