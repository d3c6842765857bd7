import XCTest
import Foundation
@testable import Engine

final class CausalAttentionTests: XCTestCase {
    /// q, k, v `[B, H, T, d_h]` laid out as the fused projection gives them: `[B, T, 3·H·d_h]`.
    func packed(_ q: Tensor, _ k: Tensor, _ v: Tensor) -> Tensor {
        let (b, h, t, dh) = (q.shape[0], q.shape[1], q.shape[2], q.shape[3]), d = h * dh
        var out = Tensor(zeros: [b, t, 3 * d])
        for bi in 0..<b { for hi in 0..<h { for i in 0..<t { for c in 0..<dh {
            for (part, x) in [q, k, v].enumerated() { out[bi, i, part * d + hi * dh + c] = x[bi, hi, i, c] }
        }}}}
        return out
    }

    /// softmax(q·kⱼ/√d) over unmasked j ≤ i, then Σ pⱼ vⱼ, in Double, one query at a time; `[B, T, H·d_h]`.
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
                out[((bi * t + i) * h + hi) * d + c] = Float(s)
            }
        }}}
        return out
    }

    func testMatchesNaiveSoftmaxAttention() {
        var rng = RNG(seed: 6)
        let (q, k, v) = (Tensor.normal([2, 3, 5, 4], rng: &rng), Tensor.normal([2, 3, 5, 4], rng: &rng), Tensor.normal([2, 3, 5, 4], rng: &rng))
        let tape = Tape()
        let padding = [true, true, false, false, false, false, false, true, false, false]
        let y = causalAttention(tape.input(packed(q, k, v)), heads: 3, keyPadding: padding)
        XCTAssertEqual(y.shape, [2, 5, 12])
        assertClose(y.value, naiveAttention(q, k, v, padding: padding))
    }

    func testSingleStepReturnsValue() {
        var rng = RNG(seed: 7)
        let (q, k, v) = (Tensor.normal([2, 1, 1, 3], rng: &rng), Tensor.normal([2, 1, 1, 3], rng: &rng), Tensor.normal([2, 1, 1, 3], rng: &rng))
        let tape = Tape()
        assertClose(causalAttention(tape.input(packed(q, k, v)), heads: 1).value, v.scalars, tolerance: 1e-6)
    }

    func testOutputAtStepIgnoresLaterInputs() {
        var rng = RNG(seed: 8)
        let x = Tensor.normal([1, 6, 24], rng: &rng)
        var later = x
        for t in 4..<6 { for c in 0..<24 { later[0, t, c] = 100 * later[0, t, c] + 3 } }
        let tape = Tape()
        let a = causalAttention(tape.input(x), heads: 2).value
        let b = causalAttention(tape.input(later), heads: 2).value
        for t in 0..<4 { for c in 0..<8 { XCTAssertEqual(a[0, t, c], b[0, t, c], accuracy: 1e-6) } }
        XCTAssertNotEqual(a[0, 5, 0], b[0, 5, 0], "later steps must see the changed inputs")
    }

    func testFullyPaddedQueryGivesZerosNotNaN() {
        var rng = RNG(seed: 9)
        let x = Tensor.normal([1, 3, 6], rng: &rng)
        let tape = Tape()
        let input = tape.input(x, requiresGrad: true)
        let y = causalAttention(input, heads: 1, keyPadding: [true, true, false])
        XCTAssertEqual(Array(y.value.scalars[0..<4]), [0, 0, 0, 0])
        assertClose(y.value.reshaped([6]).window(offset: 4, shape: [2]), [x[0, 2, 4], x[0, 2, 5]], tolerance: 1e-6)
        tape.backward(probeLoss(y))
        XCTAssertFalse(input.grad!.scalars.contains { $0.isNaN })
    }

    func testGradientMatchesFiniteDifferences() {
        var rng = RNG(seed: 10)
        let inputs = [Tensor.normal([2, 5, 18], rng: &rng)]
        let r = GradientCheck(maxCoordinates: 90).check(inputs: inputs) { _, v in probeLoss(causalAttention(v[0], heads: 2)) }
        assertGradientsMatch(r)
    }

    func testGradientWithKeyPaddingMatchesFiniteDifferences() {
        var rng = RNG(seed: 11)
        let inputs = [Tensor.normal([2, 4, 18], rng: &rng)]
        let padding = [true, false, false, false, true, true, false, false]
        let r = GradientCheck(maxCoordinates: 72).check(inputs: inputs) { _, v in
            probeLoss(causalAttention(v[0], heads: 2, keyPadding: padding))
        }
        assertGradientsMatch(r)
    }

    func testParallelPairsGiveTheBitsOfOneThread() {
        var rng = RNG(seed: 12)
        let x = Tensor.normal([16, 64, 3 * 64], rng: &rng)
        let padding = (0..<(16 * 64)).map { $0 % 64 < ($0 / 64) % 5 }
        func run(threads: Int) -> (Tensor, Tensor) {
            let saved = BLAS.threads
            BLAS.threads = threads
            defer { BLAS.threads = saved }
            let tape = Tape()
            let input = tape.input(x, requiresGrad: true)
            let y = causalAttention(input, heads: 4, keyPadding: padding)
            tape.backward(probeLoss(y))
            return (y.value, input.grad!)
        }
        let (y1, g1) = run(threads: 1), (y2, g2) = run(threads: 2)
        XCTAssertEqual(y1.scalars, y2.scalars)
        XCTAssertEqual(g1.scalars, g2.scalars)
    }

    func testProbabilityDropoutMatchesMaskedNaiveAttentionAndItsGradient() {
        // With the mask redrawn from the same generator, (P ⊙ M) V is a fixed function of qkv: its
        // finite differences check the backward, and rate 0.999… would zero nearly every weight.
        var rng = RNG(seed: 13)
        let inputs = [Tensor.normal([2, 5, 18], rng: &rng)]
        let drop = (rate: Float(0.4), rng: RNG(seed: 14))
        let r = GradientCheck(maxCoordinates: 90).check(inputs: inputs) { _, v in
            probeLoss(causalAttention(v[0], heads: 2, keyPadding: [false, false, true, false, false, false, false, false, false, false],
                                      dropout: drop))
        }
        assertGradientsMatch(r)
        let tape = Tape(recording: false)
        let plain = causalAttention(tape.input(inputs[0]), heads: 2).value
        let dropped = causalAttention(tape.input(inputs[0]), heads: 2, dropout: drop).value
        let again = causalAttention(tape.input(inputs[0]), heads: 2, dropout: drop).value
        XCTAssertEqual(dropped.scalars, again.scalars, "the same generator draws the same masks")
        XCTAssertNotEqual(dropped.scalars, plain.scalars)
        XCTAssertEqual(causalAttention(tape.input(inputs[0]), heads: 2, dropout: (0, RNG(seed: 14))).value.scalars, plain.scalars)
    }

    func testProbabilityDropoutKeepsTheExpectedOutput() {
        // Inverted dropout: averaged over many masks, (P ⊙ M) V tends to P V.
        var rng = RNG(seed: 15)
        let x = Tensor.normal([1, 4, 6], rng: &rng)
        let tape = Tape(recording: false)
        let plain = causalAttention(tape.input(x), heads: 1).value
        var mean = [Double](repeating: 0, count: plain.count)
        let draws = 4000
        for draw in 0..<draws {
            let y = causalAttention(tape.input(x), heads: 1, dropout: (0.5, RNG(seed: UInt64(100 + draw)))).value
            for i in 0..<mean.count { mean[i] += Double(y[flat: i]) / Double(draws) }
        }
        for i in 0..<mean.count { XCTAssertEqual(mean[i], Double(plain[flat: i]), accuracy: 0.08) }
    }
}
