import XCTest
@testable import Engine

final class ShapeOpsTests: XCTestCase {
    func testPermuteMovesHeadsBeforeTime() {
        // [B=1, T=2, H=3, D=2] -> [B, H, T, D]: out[0,h,t,d] = in[0,t,h,d].
        let x = Tensor(shape: [1, 2, 3, 2], (0..<12).map(Float.init))
        let y = x.permuted([0, 2, 1, 3])
        XCTAssertEqual(y.shape, [1, 3, 2, 2])
        for h in 0..<3 { for t in 0..<2 { for d in 0..<2 { XCTAssertEqual(y[0, h, t, d], x[0, t, h, d]) } } }
    }

    func testPermuteOfLastAxisTransposesMatrix() {
        let x = Tensor(shape: [2, 3], [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(x.permuted([1, 0]).scalars, [1, 4, 2, 5, 3, 6])
    }

    func testPermuteGradientMatchesFiniteDifferences() {
        var rng = RNG(seed: 1)
        let x = Tensor.normal([2, 3, 4, 2], rng: &rng)
        let r = GradientCheck().check(inputs: [x]) { _, v in probeLoss(v[0].permuted([0, 2, 1, 3]).transposed(1, 3)) }
        assertGradientsMatch(r)
    }

    func testSliceAndConcatRoundTrip() {
        let tape = Tape()
        let x = tape.input(Tensor(shape: [2, 5], (0..<10).map(Float.init)))
        let parts = [x.slice(lastAxis: 0..<2), x.slice(lastAxis: 2..<5)]
        XCTAssertEqual(parts[1].value.scalars, [2, 3, 4, 7, 8, 9])
        XCTAssertEqual(concatLastAxis(parts).value, x.value)
    }

    func testSliceAndConcatGradientsMatchFiniteDifferences() {
        var rng = RNG(seed: 2)
        let a = Tensor.normal([3, 2, 6], rng: &rng), b = Tensor.normal([3, 2, 1], rng: &rng)
        let r = GradientCheck().check(inputs: [a, b]) { _, v in
            // Overlapping slices make the slice backward accumulate into shared columns.
            probeLoss(concatLastAxis([v[0].slice(lastAxis: 1..<4), v[1], v[0].slice(lastAxis: 3..<6)]))
        }
        assertGradientsMatch(r)
    }
}
