import Suite
import XCTest

final class WorkspaceTests: XCTestCase {
    /// `repro run --seeds N` rebuilds each experiment; a self-timing experiment that lost its
    /// `exclusive` mark ran beside other runs and timed their load instead of itself.
    func testWithSeedsKeepsEverythingButTheSeeds() {
        let runs = ["a", "b"].flatMap { group in
            (0..<2).map { RunConfig(paper: "p", experiment: "timing", group: group, seed: $0, parameters: ["n": .int(3)]) }
        }
        let experiment = Experiment(id: "timing", title: "t", runs: runs, after: ["upstream"], analysis: ["level": .double(0.95)],
                                    exclusive: true, exactMetrics: ["parameters"], execute: { _, _ in })
        let reseeded = experiment.withSeeds(3)
        XCTAssertEqual(reseeded.runs.map(\.group), ["a", "a", "a", "b", "b", "b"])
        XCTAssertEqual(reseeded.runs.map(\.seed), [0, 1, 2, 0, 1, 2])
        XCTAssertEqual(Set(reseeded.runs.map(\.parameters)), [["n": .int(3)]])
        XCTAssertTrue(reseeded.exclusive)
        XCTAssertEqual(reseeded.exactMetrics, ["parameters"])
        XCTAssertEqual(reseeded.after, ["upstream"])
        XCTAssertEqual(reseeded.analysis, ["level": .double(0.95)])
    }
}
