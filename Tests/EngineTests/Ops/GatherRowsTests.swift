import XCTest
@testable import Engine

final class GatherRowsTests: XCTestCase {
    func testLookupCopiesRowsAndPaddingGivesZeros() {
        let tape = Tape()
        let table = tape.input(Tensor(shape: [3, 2], [1, 2, 3, 4, 5, 6]))
        let y = gatherRows(table, ids: [2, 0, 1, 2], shape: [2, 2], paddingIndex: 0)
        XCTAssertEqual(y.shape, [2, 2, 2])
        XCTAssertEqual(y.value.scalars, [5, 6, 0, 0, 3, 4, 5, 6])
    }

    func testRepeatedIdsAccumulateAndPaddingRowGetsNoGradient() {
        let tape = Tape()
        let table = tape.input(Tensor(shape: [3, 2], [1, 2, 3, 4, 5, 6]), requiresGrad: true)
        tape.backward(gatherRows(table, ids: [2, 0, 2, 1], shape: [4], paddingIndex: 0).sum())
        XCTAssertEqual(table.grad?.scalars, [0, 0, 1, 1, 2, 2])
    }

    func testGatherGradientMatchesFiniteDifferences() {
        var rng = RNG(seed: 3)
        let table = Tensor.normal([5, 3], rng: &rng)
        let r = GradientCheck().check(inputs: [table]) { _, v in
            probeLoss(gatherRows(v[0], ids: [4, 1, 0, 4, 3, 1], shape: [2, 3], paddingIndex: 0))
        }
        assertGradientsMatch(r)
    }
}
