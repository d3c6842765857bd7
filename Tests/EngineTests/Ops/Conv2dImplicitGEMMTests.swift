import XCTest
@testable import Engine

/// The implicit-GEMM path of `conv2d`: 16, 32 … output channels. `Conv2dTests` covers the im2col
/// path with odd channel counts.
final class Conv2dImplicitGEMMTests: XCTestCase {
    /// (input channels, output channels, kernel, stride, padding): layers whose input gradient is
    /// an implicit GEMM too (16 input channels) or is not (3, 5); strides 1, 2 and 3, whose input
    /// gradients have 1, 4 and 9 phases, some without taps (1×1 with stride 2); even kernels and
    /// padding up to k − 1.
    let shapes = [(16, 16, 3, 1, 1), (3, 16, 3, 1, 1), (16, 32, 3, 2, 1), (16, 16, 1, 2, 0), (16, 16, 1, 1, 0),
                  (5, 16, 3, 1, 2), (16, 16, 3, 1, 2), (16, 16, 2, 1, 0), (16, 16, 3, 3, 1), (16, 16, 5, 2, 2)]

    func testMatchesDirectConvolutionForEveryKernelStrideAndPadding() {
        var rng = RNG(seed: 61)
        let tape = Tape()
        for (c, f, k, s, p) in shapes {
            // 3 images of 7×6: 126 or fewer output pixels, not a whole number of 6-pixel tiles.
            let x = Tensor.normal([3, c, 7, 6], rng: &rng), w = Tensor.normal([f, c, k, k], rng: &rng), b = Tensor.normal([f], rng: &rng)
            let y = conv2d(tape.input(x), weight: tape.input(w), bias: tape.input(b), stride: s, padding: p)
            assertClose(y.value, directConvolution(x, w, b, stride: s, padding: p))
        }
    }

    func testGradientMatchesFiniteDifferences() {
        var rng = RNG(seed: 62)
        for (c, f, k, s, p) in [(16, 16, 3, 1, 1), (16, 16, 3, 2, 1), (16, 16, 2, 3, 1), (2, 16, 3, 1, 2)] {
            let x = Tensor.normal([2, c, 5, 5], rng: &rng), w = Tensor.normal([f, c, k, k], std: 0.3, rng: &rng)
            let r = GradientCheck().check(inputs: [x, w]) { _, v in
                probeLoss(conv2d(v[0], weight: v[1], bias: nil, stride: s, padding: p))
            }
            assertGradientsMatch(r)
        }
    }

    /// Both paths on a batch of Fashion-MNIST-sized maps: the weight gradient sums 6,272 products
    /// per entry, in another order in each path, so they agree to float32 rounding, not bits.
    func testGradientsMatchTheIm2colPath() {
        var rng = RNG(seed: 63)
        for (c, f, k, s, p) in shapes {
            let x = Tensor.normal([8, c, 28, 28], rng: &rng), w = Tensor.normal([f, c, k, k], rng: &rng)
            let win = Window2d(channels: c, height: 28, width: 28, kernelH: k, kernelW: k, stride: s, padding: p)
            let g = Tensor.normal([8, f, win.outH, win.outW], rng: &rng)
            let tape = Tape()
            let (xv, wv) = (tape.input(x, requiresGrad: true), tape.input(w, requiresGrad: true))
            tape.backward(conv2d(xv, weight: wv, bias: nil, stride: s, padding: p), seed: g)
            let general = Im2colConv(win: win, images: 8, outputs: f)
            g.withUnsafeBufferPointer { gp in x.withUnsafeBufferPointer { xp in w.withUnsafeBufferPointer { wp in
                assertClose(wv.grad!, general.weightGradient(gp.baseAddress!, xp.baseAddress!).scalars, tolerance: 1e-3)
                assertClose(xv.grad!, general.inputGradient(gp.baseAddress!, wp.baseAddress!).scalars, tolerance: 1e-4)
            }}}
        }
    }

    /// Tiles are fixed by the shape and each output is one multiply-add chain, so the thread count
    /// changes no bit of the output or of either gradient; with stride 2 the input gradient's
    /// phases are interleaved piece by piece.
    func testSameBitsForOneAndTwoThreads() {
        var rng = RNG(seed: 64)
        let x = Tensor.normal([9, 16, 14, 14], rng: &rng), w = Tensor.normal([32, 16, 3, 3], rng: &rng)
        for stride in [1, 2] {
            let side = (14 + 2 - 3) / stride + 1
            let g = Tensor.normal([9, 32, side, side], rng: &rng)
            func run(threads: Int) -> [Tensor] {
                let saved = BLAS.threads
                BLAS.threads = threads
                defer { BLAS.threads = saved }
                let tape = Tape()
                let (xv, wv) = (tape.input(x, requiresGrad: true), tape.input(w, requiresGrad: true))
                let y = conv2d(xv, weight: wv, bias: nil, stride: stride, padding: 1)
                tape.backward(y, seed: g)
                return [y.value, xv.grad!, wv.grad!]
            }
            let (one, two) = (run(threads: 1), run(threads: 2))
            for (a, b) in zip(one, two) { XCTAssertEqual(a.scalars, b.scalars, "stride \(stride)") }
        }
    }

    /// A 1×1 kernel with stride 3 and padding 1 on 2×2 maps reads only padding: no tap reaches an
    /// input pixel, so no phase is left to compute and the input gradient is zero.
    func testInputGradientIsZeroWhenNoTapReachesTheInput() {
        var rng = RNG(seed: 66)
        let tape = Tape()
        let x = tape.input(Tensor.normal([3, 16, 2, 2], rng: &rng), requiresGrad: true)
        let y = conv2d(x, weight: tape.input(Tensor.normal([16, 16, 1, 1], rng: &rng)), bias: nil, stride: 3, padding: 1)
        tape.backward(y, seed: Tensor.normal(y.shape, rng: &rng))
        XCTAssertEqual(x.grad!.scalars, [Float](repeating: 0, count: 3 * 16 * 4))
    }

    /// Each weight-gradient entry is one fused multiply-add chain over the batch's output pixels in
    /// order, from 0: pinned bit for bit against that chain written out, for kernels whose channel
    /// groups are whole (16 channels, 3×3) or not (3 and 5 channels; 1×1 and 2×2 kernels), with
    /// stride, and a batch of several chunks (28×28 maps: 5 images a chunk).
    func testWeightGradientIsOneChainPerEntryInPixelOrder() {
        var rng = RNG(seed: 65)
        for (c, f, k, s, p) in [(16, 16, 3, 1, 1), (3, 16, 3, 1, 1), (5, 32, 3, 2, 1), (16, 16, 1, 2, 0), (16, 16, 2, 1, 0)] {
            let win = Window2d(channels: c, height: 28, width: 28, kernelH: k, kernelW: k, stride: s, padding: p)
            let images = 7
            let x = Tensor.normal([images, c, 28, 28], rng: &rng), g = Tensor.normal([images, f, win.outH, win.outW], rng: &rng)
            let dw = x.withUnsafeBufferPointer { xp in g.withUnsafeBufferPointer { gp in
                ImplicitGEMMConv(win: win, images: images).weightGradient(xp.baseAddress!, outputGradient: gp.baseAddress!, outputs: f)
            }}
            var chain = [Float](repeating: 0, count: f * win.patch)
            for o in 0..<f { for ci in 0..<c { for i in 0..<k { for j in 0..<k {
                var sum: Float = 0
                for n in 0..<images { for y in 0..<win.outH { for xo in 0..<win.outW {
                    let (row, column) = (y * s + i - p, xo * s + j - p)
                    let input: Float = row >= 0 && row < 28 && column >= 0 && column < 28 ? x[flat: ((n * c + ci) * 28 + row) * 28 + column] : 0
                    sum = sum.addingProduct(input, g[flat: ((n * f + o) * win.outH + y) * win.outW + xo])
                }}}
                chain[o * win.patch + (ci * k + i) * k + j] = sum
            }}}}
            XCTAssertEqual(dw.scalars, chain, "c \(c), f \(f), kernel \(k), stride \(s), padding \(p)")
        }
    }
}
