import XCTest
@testable import Suite

final class BaselineTests: XCTestCase {
    /// Two seeds under three kernels, the numbers worked by hand in the comments.
    let values: [String: [Double]] = ["A": [1.0, 2.0], "B": [1.1, 2.3], "C": [0.9, 1.9]]

    func testToleranceIsTheLargerOfTheTwoKernelBoundsAtTheFamilywiseLevel() {
        let s = MetricStatistics(values: values, distinct: ["A", "B", "C"])
        // Kernel means 1.5, 1.7, 1.4 → center 1.5333, s_m = √(0.046667/2) = 0.152753.
        XCTAssertEqual(s.center, 4.6 / 3, accuracy: 1e-12)
        XCTAssertEqual(s.meanSpread, (0.14 / 6).squareRoot(), accuracy: 1e-9)
        // Within-seed squares: seed 0 around 1.0: 0 + 0.01 + 0.01; seed 1 around 2.0667: 0.004444 + 0.054444 + 0.027778.
        // σ_w² = 0.106667 / (2·2) → σ_w = 0.163299 on 4 degrees of freedom.
        XCTAssertEqual(s.kernelDegrees, 4)
        XCTAssertEqual(s.kernelSpread, (0.32 / 12).squareRoot(), accuracy: 1e-9)
        // One item at 99 %: t_{4, 0.995} = 4.6041 → 4.6041 · 0.163299 · √((1 + 1/3)/2) = 0.61388; from the
        // means, t_{2, 0.995} = 9.9248 → 9.9248 · 0.152753 · √(1 + 1/3) = 1.75058, the larger.
        XCTAssertEqual(Tolerance.of(s, items: 1, seedsNow: 2, sameSeeds: true), 1.75058, accuracy: 2e-5)
        // Four items: each at 1 − 0.25 %, t_{2, 0.99875} = 19.96 → 3.52105.
        XCTAssertEqual(Tolerance.of(s, items: 4, seedsNow: 2, sameSeeds: true), 3.52105, accuracy: 2e-4)
        // Other seeds than the baseline's add the seed spread: pooled s² = (0.5 + 0.72 + 0.5)/3, t_{3, 0.995} = 5.8409.
        let seedTerm = 5.8409 * (1.72 / 3).squareRoot() * (1.0 / 2 + 1.0 / 4).squareRoot()
        XCTAssertEqual(Tolerance.of(s, items: 1, seedsNow: 4, sameSeeds: false), (1.75058 * 1.75058 + seedTerm * seedTerm).squareRoot(), accuracy: 1e-3)
    }

    func testAKernelMovingEverySeedTogetherWidensTheTolerance() {
        // Kernel B shifts both seeds by 0.3: within a seed the spread is the same as a kernel that
        // moves one seed up and one down, but the means, and the tolerance, say more.
        let together = MetricStatistics(values: ["A": [1, 2], "B": [1.3, 2.3], "C": [1, 2]], distinct: ["A", "B", "C"])
        let apart = MetricStatistics(values: ["A": [1, 2], "B": [1.3, 1.7], "C": [1, 2]], distinct: ["A", "B", "C"])
        XCTAssertEqual(together.kernelSpread, apart.kernelSpread, accuracy: 1e-12)
        XCTAssertGreaterThan(Tolerance.of(together, items: 1, seedsNow: 2, sameSeeds: true), 2 * Tolerance.of(apart, items: 1, seedsNow: 2, sameSeeds: true))
    }

    func testMetricsNoKernelMovesGetTheRelativeFloor() {
        let s = MetricStatistics(values: ["A": [10, 12], "B": [10, 12]], distinct: ["A", "B"])
        XCTAssertEqual(s.kernelSpread, 0)
        XCTAssertEqual(Tolerance.of(s, items: 1, seedsNow: 2, sameSeeds: true), 0.011, accuracy: 1e-12)
        XCTAssertEqual(Tolerance.of(MetricStatistics(values: ["A": [0, 0]], distinct: ["A"]), items: 1, seedsNow: 2, sameSeeds: true), 1e-9)
    }

    func testExactCountsAreHeldToOnePartInABillion() {
        let s = MetricStatistics(values: ["A": [1_000_000, 1_000_000], "B": [1_000_000, 1_000_000]], distinct: ["A", "B"])
        XCTAssertEqual(Tolerance.of(s, items: 1, seedsNow: 2, sameSeeds: true, exact: true), 1e-3, accuracy: 1e-12)
        // A declared exact metric that some seed or kernel does move keeps the usual rule.
        let moved = MetricStatistics(values: values, distinct: ["A", "B", "C"])
        XCTAssertEqual(Tolerance.of(moved, items: 1, seedsNow: 2, sameSeeds: true, exact: true), 1.75058, accuracy: 2e-5)
        let bySeed = MetricStatistics(values: ["A": [10, 12], "B": [10, 12]], distinct: ["A", "B"])
        XCTAssertEqual(Tolerance.of(bySeed, items: 1, seedsNow: 2, sameSeeds: true, exact: true), 0.011, accuracy: 1e-12)
    }

    func testKernelsComputingTheSameBitsCountOnce() {
        var file = baseline(["A": [1.0, 2.0], "B": [1.1, 2.3], "Z": [1.1, 2.3]])
        XCTAssertEqual(file.distinctKernels, ["A", "B"])
        XCTAssertEqual(file.statistics("e/g", "loss")?.kernelDegrees, 2)
        file.groups["e/g"]?.metrics["loss"]?["Z"] = [1.1, 2.2999]
        XCTAssertEqual(file.distinctKernels, ["A", "B", "Z"])
    }

    func testDivergedSeedsRangeOverKernelsAndLeaveTheSpread() {
        let s = MetricStatistics(values: ["A": [1, .infinity], "B": [1.2, 3], "C": [0.8, .infinity]], distinct: ["A", "B", "C"])
        XCTAssertEqual(s.diverged, 0...1)
        XCTAssertEqual(s.completeSeeds, 1, "only seed 0 is finite under every kernel")
        XCTAssertEqual(s.kernelSpread, (0.08 / 2).squareRoot(), accuracy: 1e-12)
    }

    func testBaselineFileRoundTripsOneLinePerMetric() throws {
        var file = baseline(["A": [1.0, 2.0], "B": [.nan, .infinity]])
        file.groups["e/a"] = .init(seeds: [0, 1], metrics: ["acc": ["A": [0.5, 0.25], "B": [0.5, 0.25]]])
        file.claims = ["c": ["A": .holds, "B": .inconclusive]]
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("baseline-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try file.write(to: url)
        let text = try String(contentsOf: url, encoding: .utf8)
        XCTAssertLessThan(try XCTUnwrap(text.range(of: "e/a")).lowerBound, try XCTUnwrap(text.range(of: "e/g")).lowerBound)
        XCTAssertTrue(text.contains(#"        "loss": {"A":[1,2],"B":["nan","inf"]}"#), text)
        let back = try XCTUnwrap(BaselineFile.read(from: url))
        XCTAssertEqual(back.groups["e/a"], file.groups["e/a"])
        XCTAssertEqual(back.claims, file.claims)
        XCTAssertEqual(back.kernels, file.kernels)
        XCTAssertTrue(back.groups["e/g"]!.metrics["loss"]!["B"]![0].isNaN)
    }

    func testAValueListThatDoesNotMatchTheSeedsIsRefused() throws {
        var file = baseline(["A": [1.0, 2.0]])
        file.groups["e/g"]?.metrics["loss"]?["A"] = [1.0]
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("baseline-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try file.write(to: url)
        XCTAssertThrowsError(try BaselineFile.read(from: url)) {
            XCTAssertTrue("\($0)".contains("e/g loss has 1 value(s) for kernel 'A' but 2 seed(s)"), "\($0)")
        }
    }

    func testKeptKernelsJoinANewRecording() throws {
        let old = baseline(["A": [1.0, 2.0], "S": [1.2, 2.1]], claims: ["c": ["A": .holds, "S": .fails]])
        var new = baseline(["A": [1.0, 2.0]], claims: ["c": ["A": .holds]])
        try new.keep(["S"], from: old)
        XCTAssertEqual(new.groups["e/g"]?.metrics["loss"]?["S"], [1.2, 2.1])
        XCTAssertEqual(new.claims["c"], ["A": .holds, "S": .fails])
        XCTAssertNotNil(new.kernels["S"])
        var other = baseline(["A": [1.0, 2.0]])
        other.groups["e/g"]?.seeds = [0, 2]
        XCTAssertThrowsError(try other.keep(["S"], from: old)) { XCTAssertTrue("\($0)".contains("not the same runs of e/g"), "\($0)") }
    }

    func baseline(_ loss: [String: [Double]], claims: [String: [String: Claim.Decision]] = [:]) -> BaselineFile {
        let record = BaselineFile.KernelRecord(blas: "OpenBLAS 0.3.21", cpu: "test", commit: nil, date: "2026-12-03T00:00:00Z")
        return BaselineFile(paper: "p", scale: .quick, resultFormatVersion: 1, kernels: loss.mapValues { _ in record },
                            groups: ["e/g": .init(seeds: [0, 1], metrics: ["loss": loss])], claims: claims)
    }
}
