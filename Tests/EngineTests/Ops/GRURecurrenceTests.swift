import XCTest
import Foundation
@testable import Engine

final class GRURecurrenceTests: XCTestCase {
    /// The GRU equations written out per unit in Double, gates r, z, n.
    func naiveGRU(_ x: Tensor, _ w: Tensor, _ b: Tensor) -> [Float] {
        let (nb, nt, nh) = (x.shape[0], x.shape[1], x.shape[2] / 3)
        func sigmoid(_ v: Double) -> Double { 1 / (1 + Foundation.exp(-v)) }
        var out = [Double](repeating: 0, count: nb * nt * nh)
        for bi in 0..<nb {
            var h = [Double](repeating: 0, count: nh)
            for t in 0..<nt {
                var next = h
                for j in 0..<nh {
                    func recurrent(_ gate: Int) -> Double {
                        (0..<nh).reduce(Double(b[gate * nh + j])) { $0 + h[$1] * Double(w[$1, gate * nh + j]) }
                    }
                    let r = sigmoid(Double(x[bi, t, j]) + recurrent(0))
                    let z = sigmoid(Double(x[bi, t, nh + j]) + recurrent(1))
                    let n = Foundation.tanh(Double(x[bi, t, 2 * nh + j]) + r * recurrent(2))
                    next[j] = (1 - z) * n + z * h[j]
                    out[(bi * nt + t) * nh + j] = next[j]
                }
                h = next
            }
        }
        return out.map(Float.init)
    }

    func inputs(batch: Int, time: Int, hidden: Int, seed: UInt64) -> [Tensor] {
        var rng = RNG(seed: seed)
        return [Tensor.normal([batch, time, 3 * hidden], rng: &rng), Tensor.normal([hidden, 3 * hidden], std: 0.7, rng: &rng),
                Tensor.normal([3 * hidden], std: 0.5, rng: &rng)]
    }

    func testMatchesNaiveRecurrence() {
        let x = inputs(batch: 3, time: 6, hidden: 4, seed: 31)
        let tape = Tape()
        let y = gruRecurrence(tape.input(x[0]), weight: tape.input(x[1]), bias: tape.input(x[2])).value
        assertClose(y, naiveGRU(x[0], x[1], x[2]))
    }

    func testOutputAtStepIgnoresLaterInputs() {
        var x = inputs(batch: 1, time: 5, hidden: 3, seed: 32)
        let tape = Tape()
        let before = gruRecurrence(tape.input(x[0]), weight: tape.input(x[1]), bias: tape.input(x[2])).value
        for j in 0..<9 { x[0][0, 4, j] += 3 }
        let after = gruRecurrence(tape.input(x[0]), weight: tape.input(x[1]), bias: tape.input(x[2])).value
        for t in 0..<4 { for j in 0..<3 { XCTAssertEqual(before[0, t, j], after[0, t, j]) } }
        XCTAssertNotEqual(before[0, 4, 0], after[0, 4, 0])
    }

    func testGradientMatchesFiniteDifferences() {
        let r = GradientCheck().check(inputs: inputs(batch: 2, time: 5, hidden: 3, seed: 33)) { _, v in
            probeLoss(gruRecurrence(v[0], weight: v[1], bias: v[2]))
        }
        XCTAssertLessThan(r.maxError, gradientTolerance, r.description)
    }

    func testGRULayerGradientMatchesFiniteDifferences() {
        var builder = ParameterBuilder(rng: RNG(seed: 34))
        let gru = GRU("gru", inputSize: 3, hiddenSize: 4, initializer: { _, _ in .normal(std: 0.5) }, builder: &builder)
        let store = builder.build()
        var rng = RNG(seed: 35)
        let r = GradientCheck().check(inputs: [Tensor.normal([2, 4, 3], rng: &rng)], parameters: store) { _, v in
            probeLoss(gru(v[0])) * 3
        }
        assertGradientsMatch(r, store: store)
    }

    func testWithoutBiasMatchesZeroBiasAndItsGradient() {
        let x = inputs(batch: 2, time: 5, hidden: 3, seed: 36)
        let tape = Tape()
        let y = gruRecurrence(tape.input(x[0]), weight: tape.input(x[1]), bias: nil).value
        assertClose(y, naiveGRU(x[0], x[1], Tensor(zeros: [9])))
        let r = GradientCheck().check(inputs: Array(x[0...1])) { _, v in probeLoss(gruRecurrence(v[0], weight: v[1], bias: nil)) }
        XCTAssertLessThan(r.maxError, gradientTolerance, r.description)
    }
}
