import XCTest
@testable import Engine

final class PoolingTests: XCTestCase {
    let image = Tensor(shape: [1, 1, 4, 4], [1, 5, 2, 0,
                                            3, 4, 8, 6,
                                            0, 1, 2, 3,
                                            9, 2, 4, 7])

    func testMaxPoolTakesWindowMaxima() {
        let tape = Tape()
        XCTAssertEqual(maxPool2d(tape.input(image), size: 2).value.scalars, [5, 8, 9, 7])
    }

    func testAvgPoolTakesWindowMeans() {
        let tape = Tape()
        XCTAssertEqual(avgPool2d(tape.input(image), size: 2).value.scalars, [3.25, 4, 3, 4])
    }

    func testMaxPoolGradientMatchesFiniteDifferences() {
        // Distinct values 0.1 apart: a step of 1e-2 never changes which element is the maximum.
        var rng = RNG(seed: 18)
        let values = rng.permutation(2 * 3 * 6 * 5).map { Float($0) * 0.1 }
        let x = Tensor(shape: [2, 3, 6, 5], values)
        let r = GradientCheck().check(inputs: [x]) { _, v in probeLoss(maxPool2d(v[0], size: 2)) }
        assertGradientsMatch(r)
    }

    func testOverlappingAvgPoolGradientMatchesFiniteDifferences() {
        var rng = RNG(seed: 19)
        let x = Tensor.normal([2, 2, 5, 5], rng: &rng)
        let r = GradientCheck().check(inputs: [x]) { _, v in probeLoss(avgPool2d(v[0], size: 3, stride: 1)) }
        assertGradientsMatch(r)
    }
}
