import XCTest
@testable import Engine

final class Conv2dTests: XCTestCase {
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
}
