import Foundation
import XCTest
@testable import Suite
import TestSupport

/// The store's probes of issue 34: every damage a user or a disk can do to a finished run folder is
/// found by the next read, the run is never reused, and `Runner` moves the folder into quarantine
/// (never deletes it) and computes the run again.
final class RunIntegrityTests: XCTestCase {
    let fm = FileManager.default

    func runs(_ n: Int) -> [RunConfig] {
        (0..<n).map { RunConfig(paper: "p", experiment: "count", group: "g", seed: $0, parameters: ["x": 1]) }
    }

    /// Logs 5 steps of `10·seed + step`, and leaves an artifact in a subfolder.
    func experiment(_ runs: [RunConfig], counter: Counter = Counter()) -> Experiment {
        Experiment(id: "count", title: "counts executions", runs: runs) { run, context in
            counter.increment()
            for step in 0..<5 { try context.log(step: step, ["value": Double(run.seed * 10 + step)]) }
            let weights = context.artifacts.appendingPathComponent("weights")
            try FileManager.default.createDirectory(at: weights, withIntermediateDirectories: true)
            try Data([UInt8(run.seed), 1, 2, 3]).write(to: weights.appendingPathComponent("layer.bin"))
        }
    }

    func runner(_ root: URL) -> Runner { Runner(store: RunStore(root: root), jobs: 1, interactive: false, write: { _ in }) }

    /// A fresh store on the same folder: what the next command sees (reads are remembered per store).
    func freshStore(_ sandbox: Sandbox) -> RunStore { RunStore(root: sandbox.root.appendingPathComponent("results")) }

    func quarantined(_ store: RunStore) throws -> [String] {
        let folder = store.quarantineRoot(paper: "p").appendingPathComponent("count")
        return (try? fm.contentsOfDirectory(atPath: folder.path).sorted()) ?? []
    }

    /// Runs 3 runs, damages the first with `damage`, and checks the next read and run.
    func assertDamageIsCaught(_ what: String, problem: String, file: StaticString = #filePath, line: UInt = #line,
                              _ damage: (URL) throws -> Void) throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let counter = Counter(), e = experiment(runs(3), counter: counter)
        let results = sandbox.root.appendingPathComponent("results")
        XCTAssertEqual(runner(results).run([e], paper: "p").executed, 3, file: file, line: line)
        let folder = freshStore(sandbox).directory(for: e.runs[0])
        let original = try fm.contentsOfDirectory(atPath: folder.path).sorted()
        try damage(folder)

        let store = freshStore(sandbox)
        let state = store.state(e.runs[0])
        XCTAssertTrue(state.problem?.contains(problem) == true, "\(what): \(state)", file: file, line: line)
        XCTAssertFalse(store.isFinished(e.runs[0]), what, file: file, line: line)
        XCTAssertThrowsError(try store.summary(e.runs[0]), what, file: file, line: line) { error in
            XCTAssertTrue("\(error)".contains(folder.path) && "\(error)".contains("repro run p --experiment count"), "\(error)",
                          file: file, line: line)
        }
        XCTAssertThrowsError(try store.metrics(e.runs[0]), what, file: file, line: line)

        let report = Runner(store: store, jobs: 1, interactive: false, write: { _ in }).run([e], paper: "p")
        XCTAssertEqual([report.executed, report.reused, report.quarantined.count], [1, 2, 1], what, file: file, line: line)
        XCTAssertEqual(counter.value, 4, what, file: file, line: line)
        XCTAssertEqual(try freshStore(sandbox).metrics(e.runs[0]).column("value"), [0, 1, 2, 3, 4], what, file: file, line: line)
        let moved = try quarantined(store)
        XCTAssertEqual(moved.count, 1, what, file: file, line: line)
        let kept = store.quarantineRoot(paper: "p").appendingPathComponent("count").appendingPathComponent(moved[0])
        let note = try String(contentsOf: kept.appendingPathComponent("QUARANTINED.txt"), encoding: .utf8)
        XCTAssertTrue(note.contains(problem), note, file: file, line: line)
        XCTAssertTrue(Set(try fm.contentsOfDirectory(atPath: kept.path)).isSuperset(of: Set(original).subtracting(["summary.json", "config.json", "metrics.csv"])),
                      "the damaged folder is kept, not deleted", file: file, line: line)
    }

    func testCutMetricsIsNeverReadAsFinished() throws {
        try assertDamageIsCaught("metrics.csv cut at a line boundary", problem: "metrics.csv changed") { folder in
            let url = folder.appendingPathComponent("metrics.csv")
            let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").prefix(3)
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
        }
    }

    func testChangedDigitOfMetricsIsCaught() throws {
        try assertDamageIsCaught("one digit of metrics.csv", problem: "metrics.csv changed") { folder in
            let url = folder.appendingPathComponent("metrics.csv")
            let text = try String(contentsOf: url, encoding: .utf8)
            try Data(text.replacingOccurrences(of: "3.0", with: "8.0").utf8).write(to: url)
        }
    }

    func testDeletedMetricsIsCaught() throws {
        try assertDamageIsCaught("metrics.csv deleted", problem: "metrics.csv is missing") { folder in
            try FileManager.default.removeItem(at: folder.appendingPathComponent("metrics.csv"))
        }
    }

    func testTruncatedConfigIsCaught() throws {
        try assertDamageIsCaught("config.json truncated", problem: "config.json changed") { folder in
            try FileHandle(forWritingTo: folder.appendingPathComponent("config.json")).truncate(atOffset: 20)
        }
    }

    func testDeletedConfigIsCaught() throws {
        try assertDamageIsCaught("config.json deleted", problem: "config.json is missing") { folder in
            try FileManager.default.removeItem(at: folder.appendingPathComponent("config.json"))
        }
    }

    func testChangedArtifactIsCaught() throws {
        try assertDamageIsCaught("an artifact in a subfolder changed", problem: "weights/layer.bin changed") { folder in
            try Data([9, 9]).write(to: folder.appendingPathComponent("weights/layer.bin"))
        }
    }

    func testTruncatedSummaryIsNotAFinishedRun() throws {
        try assertDamageIsCaught("summary.json truncated to 200 bytes", problem: "summary.json does not read") { folder in
            try FileHandle(forWritingTo: folder.appendingPathComponent("summary.json")).truncate(atOffset: 200)
        }
    }

    func testDeletedSummaryIsNotAFinishedRun() throws {
        try assertDamageIsCaught("summary.json deleted", problem: "summary.json is missing") { folder in
            try FileManager.default.removeItem(at: folder.appendingPathComponent("summary.json"))
        }
    }

    func testEditedFinalMetricIsCaught() throws {
        try assertDamageIsCaught("a final metric edited in summary.json", problem: "summary.json changed") { folder in
            let url = folder.appendingPathComponent("summary.json")
            let text = try String(contentsOf: url, encoding: .utf8)
            XCTAssertTrue(text.contains("\"value\" : 4"))
            try Data(text.replacingOccurrences(of: "\"value\" : 4", with: "\"value\" : 3").utf8).write(to: url)
        }
    }

    func testASummaryWithItsDigestLineRemovedIsNotTakenForAnOldOne() throws {
        try assertDamageIsCaught("the digest line deleted and a final metric edited", problem: "summary.json changed") { folder in
            let url = folder.appendingPathComponent("summary.json")
            let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            let edited = lines.filter { !$0.contains("\"digest\" :") }.joined(separator: "\n").replacingOccurrences(of: "\"value\" : 4", with: "\"value\" : 3")
            try Data(edited.utf8).write(to: url)
        }
    }

    func testSwappedRunFoldersAreBothCaughtAndRecomputed() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let counter = Counter(), e = experiment(runs(3), counter: counter)
        let results = sandbox.root.appendingPathComponent("results")
        runner(results).run([e], paper: "p")
        let (a, b) = (freshStore(sandbox).directory(for: e.runs[0]), freshStore(sandbox).directory(for: e.runs[1]))
        let aside = a.deletingLastPathComponent().appendingPathComponent("aside")
        try fm.moveItem(at: a, to: aside)
        try fm.moveItem(at: b, to: a)
        try fm.moveItem(at: aside, to: b)

        let store = freshStore(sandbox)
        XCTAssertEqual(store.state(e.runs[0]).problem, "\(a.path)/summary.json is of the run with key \(e.runs[1].key), not \(e.runs[0].key): the folder was renamed or swapped with another")
        XCTAssertNotNil(store.state(e.runs[1]).problem)
        let report = Runner(store: store, jobs: 1, interactive: false, write: { _ in }).run([e], paper: "p")
        XCTAssertEqual([report.executed, report.reused, report.quarantined.count], [2, 1, 2])
        for run in e.runs { XCTAssertEqual(try freshStore(sandbox).summary(run)?.final["value"], Double(run.seed * 10 + 4)) }
        XCTAssertEqual(try quarantined(store).count, 2)
    }

    func testForceQuarantinesADamagedFolderInsteadOfDeletingIt() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let e = experiment(runs(2))
        let results = sandbox.root.appendingPathComponent("results")
        runner(results).run([e], paper: "p")
        try fm.removeItem(at: freshStore(sandbox).directory(for: e.runs[0]).appendingPathComponent("metrics.csv"))
        let report = Runner(store: freshStore(sandbox), jobs: 1, force: true, interactive: false, write: { _ in }).run([e], paper: "p")
        XCTAssertEqual([report.executed, report.quarantined.count], [2, 1])
        XCTAssertEqual(try quarantined(freshStore(sandbox)).count, 1)
    }

    func testRunsWrittenBeforeDigestsAreSealedOnTheirFirstRead() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let e = experiment(runs(1))
        runner(sandbox.root.appendingPathComponent("results")).run([e], paper: "p")
        let url = freshStore(sandbox).directory(for: e.runs[0]).appendingPathComponent("summary.json")
        var old = try JSONDecoder().decode(RunSummary.self, from: Data(contentsOf: url))
        let sealedFiles = old.files
        (old.files, old.digest) = (nil, nil)
        try RunIntegrity.encoder().encode(old).write(to: url)

        XCTAssertNotNil(freshStore(sandbox).state(e.runs[0]).summary, "a run written before digests still reads")
        let now = try JSONDecoder().decode(RunSummary.self, from: Data(contentsOf: url))
        XCTAssertEqual(now.files, sealedFiles)
        XCTAssertNotNil(now.digest)
        XCTAssertEqual(now.key, e.runs[0].key, "no run key changes")

        try Data("step,value\n0,1\n".utf8).write(to: url.deletingLastPathComponent().appendingPathComponent("metrics.csv"))
        XCTAssertEqual(freshStore(sandbox).state(e.runs[0]).problem, "\(url.deletingLastPathComponent().path)/metrics.csv changed after the run finished")
    }

    func testVerifyNamesEveryDamagedFolderAndQuarantinesOnRequest() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let e = experiment(runs(4))
        runner(sandbox.root.appendingPathComponent("results")).run([e], paper: "p")
        let store = freshStore(sandbox)
        try fm.removeItem(at: store.directory(for: e.runs[1]).appendingPathComponent("config.json"))
        try Data("{}".utf8).write(to: store.directory(for: e.runs[3]).appendingPathComponent("summary.json"))
        // A run of an older config, not in any sweep now: verify still checks it.
        let orphan = store.directory(for: e.runs[2]).deletingLastPathComponent().appendingPathComponent("00000000000000aa")
        try fm.copyItem(at: store.directory(for: e.runs[2]), to: orphan)

        let found = StoreVerification(store: freshStore(sandbox), papers: ["p"])
        XCTAssertEqual(found.checked, 5)
        XCTAssertEqual(found.damaged.map(\.folder.lastPathComponent).sorted(), [e.runs[1].key, e.runs[3].key, "00000000000000aa"].sorted())
        XCTAssertEqual(try quarantined(store), [], "without --quarantine nothing moves")

        let moved = StoreVerification(store: freshStore(sandbox), papers: ["p"], quarantine: true)
        XCTAssertEqual(moved.damaged.compactMap(\.movedTo).count, 3)
        XCTAssertEqual(try quarantined(store).count, 3)
        let clean = StoreVerification(store: freshStore(sandbox), papers: ["p"])
        XCTAssertEqual([clean.checked, clean.damaged.count], [2, 0])
    }
}
