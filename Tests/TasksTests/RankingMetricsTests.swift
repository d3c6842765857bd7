import XCTest
@testable import Tasks

final class RankingMetricsTests: XCTestCase {
    func rank(_ target: Int, _ scores: [Float]) -> Int {
        scores.withUnsafeBufferPointer { RankingMetrics.rank(of: target, in: $0) }
    }

    func testRankCountsItemsScoringAbove() {
        // Items 1...5; item 3 (0.7) is beaten by items 2 (0.9) and 5 (0.8).
        XCTAssertEqual(rank(3, [0, 0.1, 0.9, 0.7, 0.2, 0.8]), 2)
        XCTAssertEqual(rank(2, [0, 0.1, 0.9, 0.7, 0.2, 0.8]), 0)
    }

    func testPaddingIsNeverRankedEvenWhenItScoresHighest() {
        XCTAssertEqual(rank(1, [100, 0.5, 0.1, 0.2]), 0)
    }

    func testTiesCountAgainstTheTarget() {
        // Items 2 and 4 tie with the target: pessimistically both rank above it.
        XCTAssertEqual(rank(3, [0, 0.1, 0.5, 0.5, 0.5]), 2)
        // All equal: the target is last among the 4 real items.
        XCTAssertEqual(rank(1, [0, 1, 1, 1, 1]), 3)
    }

    func testNaNTargetRanksLast() {
        XCTAssertEqual(rank(2, [0, 0.1, .nan, 0.3]), 2)
    }

    func testMetricsFromHandComputedRanks() throws {
        var m = RankingMetrics(cutoffs: [1, 3])
        for r in [0, 2, 5] { m.add(rank: r) }
        // @1: only rank 0 hits. @3: ranks 0 and 2.
        XCTAssertEqual(try XCTUnwrap(m.mean("hr@1")), 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(m.mean("hr@3")), 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(m.mean("ndcg@3")), (1 + 1 / log2(4.0)) / 3, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(m.mean("mrr@3")), (1 + 1.0 / 3) / 3, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(m.mean("ndcg@1")), 1.0 / 3, accuracy: 1e-12)
    }

    func testMergeEqualsAddingEverything() {
        var a = RankingMetrics(cutoffs: [10]), b = RankingMetrics(cutoffs: [10]), all = RankingMetrics(cutoffs: [10])
        for r in [0, 4, 11] { a.add(rank: r); all.add(rank: r) }
        for r in [1, 9] { b.add(rank: r); all.add(rank: r) }
        a.merge(b)
        XCTAssertEqual(a.users, 5)
        XCTAssertEqual(a.means.map(\.value), all.means.map(\.value))
    }
}
