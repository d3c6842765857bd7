import XCTest
@testable import Engine

/// y[n,f,i,j] = b[f] + Σ_{c,u,v} w[f,c,u,v]·x[n,c,i·s−p+u, j·s−p+v], summed directly.
func directConvolution(_ x: Tensor, _ w: Tensor, _ b: Tensor, stride s: Int, padding p: Int) -> [Float] {
    let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (f, kh, kw) = (w.shape[0], w.shape[2], w.shape[3])
    let oh = (h + 2 * p - kh) / s + 1, ow = (wd + 2 * p - kw) / s + 1
    var out: [Float] = []
    for ni in 0..<n { for fi in 0..<f { for i in 0..<oh { for j in 0..<ow {
        var sum = Double(b[fi])
        for ci in 0..<c { for u in 0..<kh { for v in 0..<kw {
            let (y, xx) = (i * s - p + u, j * s - p + v)
            if y >= 0 && y < h && xx >= 0 && xx < wd { sum += Double(w[fi, ci, u, v]) * Double(x[ni, ci, y, xx]) }
        }}}
        out.append(Float(sum))
    }}}}
    return out
}

final class Conv2dTests: XCTestCase {
    func testMatchesDirectConvolutionWithStrideAndPadding() {
        var rng = RNG(seed: 16)
        let x = Tensor.normal([2, 3, 7, 6], rng: &rng), w = Tensor.normal([4, 3, 3, 2], rng: &rng), b = Tensor.normal([4], rng: &rng)
        let tape = Tape()
        for (s, p) in [(1, 0), (2, 1), (1, 2)] {
            let y = conv2d(tape.input(x), weight: tape.input(w), bias: tape.input(b), stride: s, padding: p)
            assertClose(y.value, directConvolution(x, w, b, stride: s, padding: p))
        }
    }

    func testGradientMatchesFiniteDifferences() {
        var rng = RNG(seed: 17)
        let x = Tensor.normal([2, 2, 5, 5], rng: &rng), w = Tensor.normal([3, 2, 3, 3], rng: &rng), b = Tensor.normal([3], rng: &rng)
        let r = GradientCheck().check(inputs: [x, w, b]) { _, v in
            probeLoss(conv2d(v[0], weight: v[1], bias: v[2], stride: 2, padding: 1))
        }
        assertGradientsMatch(r)
    }

    /// `conv2dInputGradient` and `conv2dWeightGradient` are the two halves of conv2d's backward, bit
    /// for bit, on the im2col path (3 channels in, 4 out) and the implicit GEMM's (16 in, 32 out).
    func testGradientFunctionsAreTheBackwardsHalves() {
        var rng = RNG(seed: 18)
        for (c, f, k, s, p) in [(3, 4, 3, 2, 1), (16, 32, 3, 2, 1), (16, 16, 1, 1, 0)] {
            let x = Tensor.normal([3, c, 9, 8], rng: &rng), w = Tensor.normal([f, c, k, k], rng: &rng)
            let tape = Tape()
            let (xv, wv) = (tape.input(x, requiresGrad: true), tape.input(w, requiresGrad: true))
            let y = conv2d(xv, weight: wv, bias: nil, stride: s, padding: p)
            let g = Tensor.normal(y.shape, rng: &rng)
            tape.backward(y, seed: g)
            let dx = conv2dInputGradient(g, weight: w, inputShape: x.shape, stride: s, padding: p)
            let dw = conv2dWeightGradient(g, input: x, weightShape: w.shape, stride: s, padding: p)
            XCTAssertEqual(dx.shape, x.shape)
            XCTAssertEqual(dw.shape, w.shape)
            XCTAssertEqual(dx.scalars, xv.grad!.scalars, "input gradient, \(c) → \(f) channels")
            XCTAssertEqual(dw.scalars, wv.grad!.scalars, "weight gradient, \(c) → \(f) channels")
        }
    }
}

extension Conv2dTests {
    /// 28×28 maps make chunks of 20 images: a batch of 25 is two chunks, the second partial. Its
    /// gradients must be those of the 25 single-image convolutions (each one chunk, and checked by
    /// finite differences above); a finite-difference check of the batch itself would drown in the
    /// float32 rounding of a sum over 58,800 outputs.
    func testChunkedBatchMatchesDirectConvolutionAndSingleImageGradients() {
        var rng = RNG(seed: 41)
        let (n, image) = (25, 2 * 28 * 28)
        let x = Tensor.normal([n, 2, 28, 28], rng: &rng), w = Tensor.normal([3, 2, 3, 3], rng: &rng), b = Tensor.normal([3], rng: &rng)
        let seed = Tensor.normal([n, 3, 28, 28], rng: &rng)
        let tape = Tape()
        let (xv, wv, bv) = (tape.input(x, requiresGrad: true), tape.input(w, requiresGrad: true), tape.input(b, requiresGrad: true))
        let y = conv2d(xv, weight: wv, bias: bv, stride: 1, padding: 1)
        assertClose(y.value, directConvolution(x, w, b, stride: 1, padding: 1))
        tape.backward(y, seed: seed)

        var dw = [Float](repeating: 0, count: w.count), db = [Float](repeating: 0, count: 3), dx: [Float] = []
        for i in 0..<n {
            let single = Tape()
            let xi = single.input(Tensor(shape: [1, 2, 28, 28], Array(x.scalars[(i * image)..<((i + 1) * image)])), requiresGrad: true)
            let (wi, bi) = (single.input(w, requiresGrad: true), single.input(b, requiresGrad: true))
            let yi = conv2d(xi, weight: wi, bias: bi, stride: 1, padding: 1)
            single.backward(yi, seed: Tensor(shape: [1, 3, 28, 28], Array(seed.scalars[(i * 3 * 784)..<((i + 1) * 3 * 784)])))
            dx += xi.grad!.scalars
            for (j, v) in wi.grad!.scalars.enumerated() { dw[j] += v }
            for (j, v) in bi.grad!.scalars.enumerated() { db[j] += v }
        }
        assertClose(xv.grad!, dx)
        // dW and db sum ~20,000 products of O(1) terms that cancel to O(0.1–10): their float32
        // rounding, summed in another order, is ~1e-4 in absolute terms.
        assertClose(wv.grad!, dw, tolerance: 1e-3)
        assertClose(bv.grad!, db, tolerance: 1e-3)
    }
}
