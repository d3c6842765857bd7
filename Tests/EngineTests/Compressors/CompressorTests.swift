import XCTest
@testable import Engine

final class CompressorTests: XCTestCase {
    func testTopKKeepsLargestMagnitudes() {
        // |−5| > 4 > 3 = 3: the tie at 3 goes to the lower index (2).
        var topk = TopK(.count(3))
        var rng = RNG(seed: 0)
        let (y, bits) = topk.compress(Tensor(shape: [6], [0.1, -5, 3, 3, -0.2, 4]), rng: &rng)
        XCTAssertEqual(y.scalars, [0, -5, 3, 0, 0, 4])
        XCTAssertEqual(bits, 3 * (32 + 3))
    }

    func testTopKAgreesWithSortingOnRandomVectors() {
        var rng = RNG(seed: 1)
        for trial in 0..<200 {
            let d = 1 + rng.int(below: 300)
            // Few distinct magnitudes, so ties are common.
            let x = (0..<d).map { _ in Float(rng.int(below: 21) - 10) }
            var topk = TopK(trial % 2 == 0 ? .count(1 + rng.int(below: d)) : .fraction(0.1))
            let k = topk.k(dimension: d)
            let kept = Set((0..<d).sorted { (abs(x[$0]), -$0) > (abs(x[$1]), -$1) }.prefix(k))
            let y = topk.compress(Tensor(shape: [d], x), rng: &rng).value.scalars
            for i in 0..<d { XCTAssertEqual(y[i], kept.contains(i) ? x[i] : 0, "d=\(d) k=\(k) i=\(i)") }
        }
    }

    func testRandKIsUnbiased() {
        // Each coordinate is d/k·x_i with probability k/d: the mean of N draws has standard error
        // |x_i|·√((d/k − 1)/N); 5 standard errors keeps a false failure below 10⁻⁶.
        let x: [Float] = [1, -2, 3, 0.5, -1, 2, 0, 4]
        var randk = RandK(k: 2)
        var rng = RNG(seed: 2)
        let n = 20_000
        var sum = [Double](repeating: 0, count: x.count)
        for _ in 0..<n {
            let (y, bits) = randk.compress(Tensor(shape: [x.count], x), rng: &rng)
            XCTAssertEqual(bits, 2 * 32 + 64)
            for i in 0..<x.count { sum[i] += Double(y[flat: i]) }
        }
        for i in 0..<x.count {
            let se = Double(abs(x[i])) * ((4.0 - 1) / Double(n)).squareRoot()
            XCTAssertEqual(sum[i] / Double(n), Double(x[i]), accuracy: 5 * se + 1e-9)
        }
    }

    func testStochasticQuantizationIsUnbiased() {
        // Each coordinate rounds to one of two adjacent levels spaced scale/s apart, so its variance is at
        // most (scale/s)²/4; the mean of N draws is within 5·(scale/s)/(2√N) of x_i.
        let x: [Float] = [0.3, -1.7, 2.5, 0.01, -0.6]
        var q = StochasticQuantization(bits: 3)
        XCTAssertEqual(q.levels, 3)
        var rng = RNG(seed: 3)
        let n = 20_000
        var sum = [Double](repeating: 0, count: x.count)
        for _ in 0..<n {
            let (y, bits) = q.compress(Tensor(shape: [x.count], x), rng: &rng)
            XCTAssertEqual(bits, 32 + 3 * 5)
            for i in 0..<x.count { sum[i] += Double(y[flat: i]) }
        }
        let spacing = 2.5 / 3.0
        for i in 0..<x.count {
            XCTAssertEqual(sum[i] / Double(n), Double(x[i]), accuracy: 5 * spacing / (2 * Double(n).squareRoot()))
        }
    }

    func testQuantizationLevelsAreOnTheGrid() {
        var q = StochasticQuantization(bits: 2)
        var rng = RNG(seed: 4)
        let y = q.compress(Tensor(shape: [4], [0.2, -0.7, 1, 0]), rng: &rng).value.scalars
        for v in y { XCTAssertTrue([-1, 0, 1].contains(v), "\(v) is not a 2-bit level of scale 1") }
        XCTAssertEqual(y[2], 1)
        XCTAssertEqual(y[3], 0)
    }

    func testScaledSignUsesTheMeanAbsoluteValue() {
        var s = ScaledSign()
        var rng = RNG(seed: 0)
        let (y, bits) = s.compress(Tensor(shape: [3], [1, -2, 3]), rng: &rng)
        XCTAssertEqual(y.scalars, [2, -2, 2])
        XCTAssertEqual(bits, 32 + 3)
    }

    func testErrorFeedbackAccumulatesWhatWasDropped() {
        var ef = ErrorFeedback(TopK(.count(1)))
        var rng = RNG(seed: 5)
        let inputs: [[Float]] = [[1, 0.5, -0.25], [0.2, 0.4, 0.1], [-0.3, 0.1, 0.6]]
        var sent = [Float](repeating: 0, count: 3), total = [Float](repeating: 0, count: 3)
        for x in inputs {
            let y = ef.compress(Tensor(shape: [3], x), rng: &rng).value.scalars
            XCTAssertEqual(y.filter { $0 != 0 }.count, 1)
            for i in 0..<3 { sent[i] += y[i]; total[i] += x[i] }
        }
        // Σ sent + residual = Σ inputs: nothing is lost.
        for i in 0..<3 { XCTAssertEqual(sent[i] + ef.error[flat: i], total[i], accuracy: 1e-6) }
        // Step 1 sends 1 and keeps (0, 0.5, −0.25); step 2 sees (0.2, 0.9, −0.15) and sends 0.9.
        XCTAssertEqual(sent[1], 0.9, accuracy: 1e-6)
    }

    func testEF21TracksTheInputThroughCompressedCorrections() {
        var ef21 = EF21(TopK(.count(1)))
        var rng = RNG(seed: 6)
        // g₁ = C(x − 0) = (0, 4, 0); g₂ = g₁ + C((1, 2, 0) − g₁) = g₁ + (0, −2, 0) = (0, 2, 0).
        XCTAssertEqual(ef21.compress(Tensor(shape: [3], [1, 4, 0]), rng: &rng).value.scalars, [0, 4, 0])
        XCTAssertEqual(ef21.compress(Tensor(shape: [3], [1, 2, 0]), rng: &rng).value.scalars, [0, 2, 0])
        // A constant input is reached exactly after at most d corrections with k = 1.
        var last: [Float] = []
        for _ in 0..<3 { last = ef21.compress(Tensor(shape: [3], [1, 2, 0]), rng: &rng).value.scalars }
        XCTAssertEqual(last, [1, 2, 0])
    }

    func testIndexBitsIsCeilLog2() {
        XCTAssertEqual(indexBits(dimension: 2), 1)
        XCTAssertEqual(indexBits(dimension: 6), 3)
        XCTAssertEqual(indexBits(dimension: 8), 3)
        XCTAssertEqual(indexBits(dimension: 9), 4)
        XCTAssertEqual(indexBits(dimension: 1 << 20), 20)
    }
}
