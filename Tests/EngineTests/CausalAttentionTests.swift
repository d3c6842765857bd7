import XCTest
import Foundation
@testable import Engine

final class CausalAttentionTests: XCTestCase {
    /// softmax(q·kⱼ/√d) over unmasked j ≤ i, then Σ pⱼ vⱼ, in Double, one query at a time.
    func naiveAttention(_ q: Tensor, _ k: Tensor, _ v: Tensor, padding: [Bool]?) -> [Float] {
        let (b, h, t, d) = (q.shape[0], q.shape[1], q.shape[2], q.shape[3])
        var out = [Float](repeating: 0, count: q.count)
        for bi in 0..<b { for hi in 0..<h { for i in 0..<t {
            let keys = (0...i).filter { padding?[bi * t + $0] != true }
            if keys.isEmpty { continue }
            let scores = keys.map { j in (0..<d).reduce(0.0) { $0 + Double(q[bi, hi, i, $1]) * Double(k[bi, hi, j, $1]) } / Double(d).squareRoot() }
            let m = scores.max()!
            let e = scores.map { Foundation.exp($0 - m) }, z = e.reduce(0, +)
            for c in 0..<d {
                var s = 0.0
                for (n, j) in keys.enumerated() { s += e[n] / z * Double(v[bi, hi, j, c]) }
                out[((bi * h + hi) * t + i) * d + c] = Float(s)
            }
        }}}
        return out
    }

    func testMatchesNaiveSoftmaxAttention() {
        var rng = RNG(seed: 6)
        let (q, k, v) = (Tensor.normal([2, 3, 5, 4], rng: &rng), Tensor.normal([2, 3, 5, 4], rng: &rng), Tensor.normal([2, 3, 5, 4], rng: &rng))
        let tape = Tape()
        let padding = [true, true, false, false, false, false, false, true, false, false]
        let y = causalAttention(tape.input(q), tape.input(k), tape.input(v), keyPadding: padding)
        assertClose(y.value, naiveAttention(q, k, v, padding: padding))
    }

    func testSingleStepReturnsValue() {
        var rng = RNG(seed: 7)
        let (q, k, v) = (Tensor.normal([2, 2, 1, 3], rng: &rng), Tensor.normal([2, 2, 1, 3], rng: &rng), Tensor.normal([2, 2, 1, 3], rng: &rng))
        let tape = Tape()
        assertClose(causalAttention(tape.input(q), tape.input(k), tape.input(v)).value, v.scalars, tolerance: 1e-6)
    }

    func testOutputAtStepIgnoresLaterInputs() {
        var rng = RNG(seed: 8)
        let shape = [1, 2, 6, 4]
        let (q, k, v) = (Tensor.normal(shape, rng: &rng), Tensor.normal(shape, rng: &rng), Tensor.normal(shape, rng: &rng))
        func later(_ x: Tensor) -> Tensor {
            var y = x
            for h in 0..<2 { for t in 4..<6 { for d in 0..<4 { y[0, h, t, d] = 100 * y[0, h, t, d] + 3 } } }
            return y
        }
        let tape = Tape()
        let a = causalAttention(tape.input(q), tape.input(k), tape.input(v)).value
        let b = causalAttention(tape.input(later(q)), tape.input(later(k)), tape.input(later(v))).value
        for h in 0..<2 { for t in 0..<4 { for d in 0..<4 { XCTAssertEqual(a[0, h, t, d], b[0, h, t, d], accuracy: 1e-6) } } }
        XCTAssertNotEqual(a[0, 0, 5, 0], b[0, 0, 5, 0], "later steps must see the changed inputs")
    }

    func testFullyPaddedQueryGivesZerosNotNaN() {
        var rng = RNG(seed: 9)
        let shape = [1, 1, 3, 2]
        let (q, k, v) = (Tensor.normal(shape, rng: &rng), Tensor.normal(shape, rng: &rng), Tensor.normal(shape, rng: &rng))
        let tape = Tape()
        let qv = tape.input(q, requiresGrad: true)
        let y = causalAttention(qv, tape.input(k), tape.input(v), keyPadding: [true, true, false])
        XCTAssertEqual(Array(y.value.scalars[0..<4]), [0, 0, 0, 0])
        assertClose(y.value.reshaped([6]).window(offset: 4, shape: [2]), [v[0, 0, 2, 0], v[0, 0, 2, 1]], tolerance: 1e-6)
        tape.backward(probeLoss(y))
        XCTAssertFalse(qv.grad!.scalars.contains { $0.isNaN })
    }

    func testGradientMatchesFiniteDifferences() {
        var rng = RNG(seed: 10)
        let shape = [2, 2, 5, 3]
        let inputs = (0..<3).map { _ in Tensor.normal(shape, rng: &rng) }
        let r = GradientCheck(maxCoordinates: 60).check(inputs: inputs) { _, v in probeLoss(causalAttention(v[0], v[1], v[2])) }
        assertGradientsMatch(r)
    }

    func testGradientWithKeyPaddingMatchesFiniteDifferences() {
        var rng = RNG(seed: 11)
        let shape = [2, 2, 4, 3]
        let inputs = (0..<3).map { _ in Tensor.normal(shape, rng: &rng) }
        let padding = [true, false, false, false, true, true, false, false]
        let r = GradientCheck(maxCoordinates: 48).check(inputs: inputs) { _, v in
            probeLoss(causalAttention(v[0], v[1], v[2], keyPadding: padding))
        }
        assertGradientsMatch(r)
    }
}
