import XCTest
import Foundation
@testable import Engine

final class SelectiveScanTests: XCTestCase {
    struct Inputs {
        var u, delta, A, B, C, D: Tensor
        var all: [Tensor] { [u, delta, A, B, C, D] }
    }

    /// Δ in (0.1, 1.1), A = −exp(·) < 0 as in Mamba, everything else standard normal.
    func makeInputs(batch: Int, time: Int, channels: Int, state: Int, seed: UInt64) -> Inputs {
        var rng = RNG(seed: seed)
        return Inputs(u: Tensor.normal([batch, time, channels], rng: &rng),
                      delta: Tensor.uniform([batch, time, channels], 0.1, 1.1, rng: &rng),
                      A: Tensor.normal([channels, state], std: 0.5, rng: &rng).map { -Foundation.exp($0) },
                      B: Tensor.normal([batch, time, state], rng: &rng),
                      C: Tensor.normal([batch, time, state], rng: &rng),
                      D: Tensor.normal([channels], rng: &rng))
    }

    /// The recurrence written out per (b, d, n) in Double: Ā = exp(ΔA), B̄ = ΔB,
    /// h ← Ā h + B̄ u, y = Σ_n C h + D u.
    func naiveScan(_ x: Inputs) -> [Float] {
        let (nb, nt, nd) = (x.u.shape[0], x.u.shape[1], x.u.shape[2]), ns = x.A.shape[1]
        var y = [Double](repeating: 0, count: nb * nt * nd)
        for b in 0..<nb { for d in 0..<nd {
            for t in 0..<nt { y[(b * nt + t) * nd + d] = Double(x.D[d]) * Double(x.u[b, t, d]) }
            for n in 0..<ns {
                var h = 0.0
                for t in 0..<nt {
                    let dt = Double(x.delta[b, t, d])
                    h = Foundation.exp(dt * Double(x.A[d, n])) * h + dt * Double(x.B[b, t, n]) * Double(x.u[b, t, d])
                    y[(b * nt + t) * nd + d] += Double(x.C[b, t, n]) * h
                }
            }
        }}
        return y.map(Float.init)
    }

    func scan(_ tape: Tape, _ v: [Var]) -> Var {
        selectiveScan(u: v[0], delta: v[1], A: v[2], B: v[3], C: v[4], D: v[5])
    }

    func testMatchesNaiveRecurrence() {
        let x = makeInputs(batch: 2, time: 7, channels: 3, state: 4, seed: 22)
        let tape = Tape()
        assertClose(scan(tape, x.all.map { tape.input($0) }).value, naiveScan(x))
    }

    func testOutputAtStepIgnoresLaterInputs() {
        var x = makeInputs(batch: 1, time: 5, channels: 2, state: 3, seed: 23)
        let tape = Tape()
        let before = scan(tape, x.all.map { tape.input($0) }).value
        for d in 0..<2 { x.u[0, 4, d] += 5; x.delta[0, 4, d] += 1 }
        for n in 0..<3 { x.B[0, 4, n] -= 2 }
        let after = scan(tape, x.all.map { tape.input($0) }).value
        for t in 0..<4 { for d in 0..<2 { XCTAssertEqual(before[0, t, d], after[0, t, d]) } }
        XCTAssertNotEqual(before[0, 4, 0], after[0, 4, 0])
    }

    func testMatchesNaiveRecurrenceWithPaddedChannelVectors() {
        // 11 channels: one full vector of eight and one padded with five zero lanes.
        let x = makeInputs(batch: 3, time: 5, channels: 11, state: 6, seed: 25)
        let tape = Tape()
        assertClose(scan(tape, x.all.map { tape.input($0) }).value, naiveScan(x))
    }

    func testPositionsGiveTheFullOutputAtThoseSteps() {
        let x = makeInputs(batch: 3, time: 6, channels: 10, state: 4, seed: 26)
        let tape = Tape(recording: false)
        let full = scan(tape, x.all.map { tape.input($0) }).value
        let positions = [5, 0, 3]
        let v = x.all.map { tape.input($0) }
        let picked = selectiveScan(u: v[0], delta: v[1], A: v[2], B: v[3], C: v[4], D: v[5], positions: positions).value
        XCTAssertEqual(picked.shape, [3, 10])
        for (b, t) in positions.enumerated() { for d in 0..<10 { XCTAssertEqual(picked[b, d], full[b, t, d]) } }
    }

    func testGradientAcrossSeveralChunksMatchesFiniteDifferences() {
        // Chunks of 2 steps over 7: the backward restarts from three stored states and a last short chunk.
        let x = makeInputs(batch: 2, time: 7, channels: 9, state: 3, seed: 27)
        let r = GradientCheck().check(inputs: x.all) { tape, v in
            probeLoss(selectiveScan(u: v[0], delta: v[1], A: v[2], B: v[3], C: v[4], D: v[5], positions: nil, chunk: 2))
        }
        assertGradientsMatch(r)
    }

    func testGradientAtPositionsMatchesFiniteDifferences() {
        let x = makeInputs(batch: 3, time: 5, channels: 3, state: 4, seed: 28)
        let r = GradientCheck().check(inputs: x.all) { tape, v in
            probeLoss(selectiveScan(u: v[0], delta: v[1], A: v[2], B: v[3], C: v[4], D: v[5], positions: [4, 1, 2], chunk: 2))
        }
        assertGradientsMatch(r)
    }

    func testGradientsAreBitIdenticalOnOneAndTwoThreads() {
        // 20 sequences: 16 blocks of one or two, so dA and dD are summed over uneven blocks.
        let x = makeInputs(batch: 20, time: 9, channels: 12, state: 5, seed: 29)
        func gradients(threads: Int) -> [[Float]] {
            let saved = BLAS.threads
            BLAS.threads = threads
            defer { BLAS.threads = saved }
            let tape = Tape()
            let v = x.all.map { tape.input($0, requiresGrad: true) }
            tape.backward(probeLoss(scan(tape, v)))
            return v.map { $0.grad!.scalars }
        }
        let (one, two) = (gradients(threads: 1), gradients(threads: 2))
        for (a, b) in zip(one, two) { XCTAssertEqual(a.map(\.bitPattern), b.map(\.bitPattern)) }
    }

    func testGradientMatchesFiniteDifferences() {
        let x = makeInputs(batch: 2, time: 6, channels: 3, state: 4, seed: 24)
        let r = GradientCheck().check(inputs: x.all) { tape, v in probeLoss(scan(tape, v)) }
        assertGradientsMatch(r)
    }
}
