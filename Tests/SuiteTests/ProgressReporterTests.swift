import Foundation
import XCTest
@testable import Suite

/// The progress a sweep shows, on a terminal and in a log, with a clock the test moves.
final class ProgressReporterTests: XCTestCase {
    final class Clock: @unchecked Sendable {
        var seconds = 0.0
        var now: Date { Date(timeIntervalSince1970: 1_000_000 + seconds) }
    }

    final class Output: @unchecked Sendable {
        var text = ""
        func write(_ s: String) { text += s }
    }

    /// A redrawn line: from the start of the line, padded to cover a longer one drawn before.
    func live(_ line: String) -> String { ("\r" + line).padding(toLength: 160, withPad: " ", startingAt: 0) }

    func testATerminalGetsOneLiveLineWithCountsETAAndTheRunningRunsProgress() {
        let (clock, output) = (Clock(), Output())
        let progress = ProgressReporter(total: 4, interactive: true, now: { clock.now }, write: output.write)
        progress.started("fit/a seed 0")
        clock.seconds = 30
        progress.progress("fit/a seed 0", "step 5, loss 0.25", fraction: 0.25)
        clock.seconds = 60
        progress.finished("fit/a seed 0", note: "done in 60.0s")
        progress.started("fit/b seed 0")
        progress.finished("fit/b seed 0", note: "FAILED: bad", ending: .failed)
        progress.close()
        XCTAssertEqual(output.text, [
            live("[........................] 0/4 runs, 0 s elapsed, ETA ?, running fit/a seed 0"),
            live("[........................] 0/4 runs, 30 s elapsed, ETA ?, running fit/a seed 0: step 5, loss 0.25, ETA ≤ 1 min 30 s"),
            live("[######..................] 1/4 runs, 1 min 0 s elapsed, ETA 3 min 0 s"),
            live("[######..................] 1/4 runs, 1 min 0 s elapsed, ETA 3 min 0 s, running fit/b seed 0"),
            // A failure is said on a line of its own, above the live line.
            live("fit/b seed 0: FAILED: bad") + "\n",
            live("[############............] 2/4 runs, 1 min 0 s elapsed, ETA 1 min 0 s, 1 failed"),
            "\n",
        ].joined())
    }

    func testALogGetsALineAtMostEveryIntervalBesidesProblems() {
        let (clock, output) = (Clock(), Output())
        let progress = ProgressReporter(total: 1000, interactive: false, interval: 30, expectedSeconds: 2, jobs: 2, now: { clock.now }, write: output.write)
        for i in 0..<999 {
            progress.started("r\(i)")
            clock.seconds = Double(i + 1) / 10
            progress.finished("r\(i)", note: "done", ending: i == 500 ? .failed : .done)
        }
        progress.started("long")
        clock.seconds += 31
        progress.progress("long", "step 3, loss 1", fraction: 0.5)
        progress.finished("long", note: "done in 31s")
        let lines = output.text.split(separator: "\n")
        // A line at 30 s, the failure at once, then 30 s after it; the long run's progress; the end.
        XCTAssertEqual(lines, ["[300/1000] 30 s elapsed, ETA 1 min 10 s; r299: done",
                               "[501/1000] 50 s elapsed, ETA 50 s, 1 failed; r500: done",
                               "[801/1000] 1 min 20 s elapsed, ETA 20 s, 1 failed; r800: done",
                               "[999/1000] 2 min 11 s elapsed, ETA 0 s, 1 failed; long: step 3, loss 1, ETA ≤ 31 s",
                               "[1000/1000] 2 min 11 s elapsed, ETA 0 s, 1 failed; long: done in 31s"])
    }

    func testTheETABeforeAnyRunFinishedComesFromStoredRuns() {
        let (clock, output) = (Clock(), Output())
        let progress = ProgressReporter(total: 10, interactive: true, expectedSeconds: 60, jobs: 2, now: { clock.now }, write: output.write)
        progress.started("x")
        XCTAssertTrue(output.text.contains("ETA 5 min 0 s"), output.text)
    }

    func testQuietSaysOnlyProblemsAndVerboseEveryRun() {
        let (clock, quietOutput, verboseOutput) = (Clock(), Output(), Output())
        let quiet = ProgressReporter(total: 3, interactive: false, verbosity: .quiet, now: { clock.now }, write: quietOutput.write)
        let verbose = ProgressReporter(total: 3, interactive: false, verbosity: .verbose, now: { clock.now }, write: verboseOutput.write)
        for reporter in [quiet, verbose] {
            for (i, problem) in [false, true, false].enumerated() {
                reporter.started("r\(i)")
                reporter.progress("r\(i)", "step 1", fraction: nil)
                reporter.finished("r\(i)", note: problem ? "DIVERGED" : "done", ending: problem ? .failed : .done)
            }
        }
        XCTAssertEqual(quietOutput.text, "[2/3] 0 s elapsed, ETA 0 s, 1 failed; r1: DIVERGED\n")
        XCTAssertEqual(verboseOutput.text.split(separator: "\n").count, 6, verboseOutput.text)
    }

    /// On a terminal too, --verbose puts every row, note and finished run on a line of its own
    /// above the live line.
    func testVerboseOnATerminalKeepsEveryRowAboveTheLiveLine() {
        let (clock, output) = (Clock(), Output())
        let progress = ProgressReporter(total: 1, interactive: true, verbosity: .verbose, now: { clock.now }, write: output.write)
        progress.started("r")
        progress.note("r", "estimated peak memory 1 MiB")
        progress.progress("r", "step 1, loss 2", fraction: nil)
        progress.finished("r", note: "done in 1s")
        let kept = output.text.split(separator: "\n").map { $0.split(separator: "\r").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" }
        for line in ["r: estimated peak memory 1 MiB", "r: step 1, loss 2", "r: done in 1s"] { XCTAssertTrue(kept.contains(line), "\(kept)") }
    }

    func testAStoppedRunIsSaidAtOnceButNotCountedAsFailed() {
        let (clock, output) = (Clock(), Output())
        let progress = ProgressReporter(total: 2, interactive: false, now: { clock.now }, write: output.write)
        progress.started("a")
        progress.finished("a", note: "STOPPED, checkpoint saved", ending: .stopped)
        XCTAssertEqual(output.text, "[1/2] 0 s elapsed, ETA 0 s; a: STOPPED, checkpoint saved\n")
    }
}
