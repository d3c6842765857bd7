import XCTest
@testable import Engine

final class ProjectedSoftmaxCrossEntropyTests: XCTestCase {
    func inputs(rows: Int, d: Int, v: Int, seed: UInt64) -> [Tensor] {
        var rng = RNG(seed: seed)
        return [Tensor.normal([rows, d], rng: &rng), Tensor.normal([v, d], std: 0.7, rng: &rng)]
    }

    func testEqualsSoftmaxCrossEntropyOfTheLogitsInValueAndGradient() {
        let x = inputs(rows: 7, d: 5, v: 37, seed: 41)
        let targets = [3, 0, 36, -1, 12, 12, 5]
        func run(_ fused: Bool) -> (Float, Tensor, Tensor) {
            let tape = Tape()
            let h = tape.input(x[0], requiresGrad: true), w = tape.input(x[1], requiresGrad: true)
            // Blocks of 3 rows, so the last block is partial and blocks cross the ignored row.
            let loss = fused ? projectedSoftmaxCrossEntropy(h, table: w, targets: targets, ignoreIndex: -1, blockRows: 3)
                             : softmaxCrossEntropy(matmul(h, w, transposeB: true), targets: targets, ignoreIndex: -1)
            tape.backward(loss * 2)
            return (loss.value.item, h.grad!, w.grad!)
        }
        let (fused, plain) = (run(true), run(false))
        XCTAssertEqual(fused.0, plain.0, accuracy: 1e-5)
        assertClose(fused.1, plain.1.scalars, tolerance: 1e-5)
        assertClose(fused.2, plain.2.scalars, tolerance: 1e-5)
    }

    func testGradientMatchesFiniteDifferences() {
        let r = GradientCheck().check(inputs: inputs(rows: 5, d: 4, v: 9, seed: 42)) { _, v in
            projectedSoftmaxCrossEntropy(v[0], table: v[1], targets: [1, 8, 0, 4, 4], blockRows: 2) * 3
        }
        XCTAssertLessThan(r.maxError, gradientTolerance, r.description)
    }

    func testRowBlocksGiveTheSameRowsForAnyThreadCount() {
        // The row-parallel part of the losses: each row computed alone, so the split is invisible.
        // (The GEMMs around it are OpenBLAS's, whose results can depend on its thread count.)
        var rng = RNG(seed: 43)
        let x = Tensor.normal([300, 500], rng: &rng)
        func rowMaxima(threads: Int) -> [Float] {
            let previous = BLAS.threads
            BLAS.threads = threads
            defer { BLAS.threads = previous }
            var out = [Float](repeating: 0, count: 300)
            x.withUnsafeBufferPointer { p in out.withUnsafeMutableBufferPointer { o in
                let (p, o) = (p.baseAddress!, o.baseAddress!)
                ParallelRows.forEach(300, rowLength: 500) { range in
                    for r in range { o[r] = RowKernels.max(p + r * 500, 500) + RowKernels.sum(p + r * 500, 500) }
                }
            }}
            return out
        }
        XCTAssertEqual(rowMaxima(threads: 1), rowMaxima(threads: 2))
    }
}
