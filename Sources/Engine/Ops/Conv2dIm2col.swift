/// Geometry of a 2-D convolution or pooling window over an NCHW input.
struct Window2d {
    let channels, height, width, kernelH, kernelW, stride, padding: Int
    var outH: Int { (height + 2 * padding - kernelH) / stride + 1 }
    var outW: Int { (width + 2 * padding - kernelW) / stride + 1 }
    /// Rows of the im2col matrix: one per (channel, kernel row, kernel column).
    var patch: Int { channels * kernelH * kernelW }

    /// Output columns x whose input column x·stride − padding + j falls inside the image.
    private func inside(_ j: Int) -> Range<Int> {
        let first = Swift.max(0, (padding - j + stride - 1) / stride)
        let end = Swift.min(outW, (width + padding - j + stride - 1) / stride)
        return first..<Swift.max(first, end)
    }

    /// Unfolds one image `[C, H, W]` into `cols` `[C·kH·kW, outH·outW]` (zeros where the window
    /// hangs over the padding), so the convolution becomes one GEMM. `rowStride` (default outH·outW)
    /// lets several images fill adjacent column blocks of one wider matrix.
    func im2col(_ image: UnsafePointer<Float>, _ cols: UnsafeMutablePointer<Float>, rowStride: Int? = nil) {
        let (oh, ow) = (outH, outW), ld = rowStride ?? oh * ow
        for c in 0..<channels { for i in 0..<kernelH { for j in 0..<kernelW {
            let row = cols + ((c * kernelH + i) * kernelW + j) * ld
            let xs = inside(j)
            for y in 0..<oh {
                let sy = y * stride - padding + i
                let dst = row + y * ow
                guard sy >= 0 && sy < height, !xs.isEmpty else { dst.update(repeating: 0, count: ow); continue }
                let src = image + (c * height + sy) * width - padding + j
                dst.update(repeating: 0, count: xs.lowerBound)
                if stride == 1 {
                    (dst + xs.lowerBound).update(from: src + xs.lowerBound, count: xs.count)
                } else {
                    for x in xs { dst[x] = src[x * stride] }
                }
                (dst + xs.upperBound).update(repeating: 0, count: ow - xs.upperBound)
            }
        }}}
    }

    /// The adjoint of `im2col`: adds each column entry back onto the pixel it was read from.
    func col2imAdd(_ cols: UnsafePointer<Float>, _ image: UnsafeMutablePointer<Float>, rowStride: Int? = nil) {
        let (oh, ow) = (outH, outW), ld = rowStride ?? oh * ow
        for c in 0..<channels { for i in 0..<kernelH { for j in 0..<kernelW {
            let row = cols + ((c * kernelH + i) * kernelW + j) * ld
            let xs = inside(j)
            for y in 0..<oh {
                let sy = y * stride - padding + i
                if sy < 0 || sy >= height { continue }
                let dst = image + (c * height + sy) * width - padding + j, src = row + y * ow
                if stride == 1 {
                    for x in xs { dst[x] += src[x] }
                } else {
                    for x in xs { dst[x * stride] += src[x] }
                }
            }
        }}}
    }
}

/// 2-D convolution (cross-correlation, as in PyTorch's `Conv2d`) of x `[N, C, H, W]` with weight
/// `[F, C, kH, kW]` and bias `[F]`, zero padding on all sides, giving `[N, F, outH, outW]`.
///
/// Images go in chunks of B: im2col of the chunk side by side, then one GEMM
/// Y_B = W · [cols_1 … cols_B] + b, so small feature maps still make GEMMs wide enough for BLAS
/// (one GEMM per image with a few output channels runs at a fraction of its speed). The backward
/// recomputes each chunk's cols instead of storing them for the batch: dW += dY_B · cols_Bᵀ,
/// dcols = Wᵀ · dY_B folded back by col2im into dx, db = Σ dY.
public func conv2d(_ x: Var, weight: Var, bias: Var?, stride: Int = 1, padding: Int = 0) -> Var {
    precondition(x.shape.count == 4 && weight.shape.count == 4 && weight.shape[1] == x.shape[1],
                 "conv2d: input \(x.shape) must be [N, C, H, W] and weight \(weight.shape) [F, C, kH, kW]")
    let (n, f) = (x.shape[0], weight.shape[0])
    let win = Window2d(channels: x.shape[1], height: x.shape[2], width: x.shape[3],
                       kernelH: weight.shape[2], kernelW: weight.shape[3], stride: stride, padding: padding)
    precondition(win.outH > 0 && win.outW > 0, "conv2d: kernel \(weight.shape) does not fit input \(x.shape) with padding \(padding)")
    if let bias { precondition(bias.shape == [f], "conv2d: bias \(bias.shape) must be [\(f)]") }
    let spatial = win.outH * win.outW, imageSize = win.channels * win.height * win.width
    // About 16k GEMM columns per chunk, and at most 8M floats of cols.
    let chunk = max(1, min(n, max(1, 16_384 / spatial), max(1, 8_388_608 / (win.patch * spatial))))
    let (xv, wv) = (x.value, weight.value), shifts = bias?.value.scalars
    var y = Tensor(overwriting: [n, f, win.outH, win.outW])
    var cols = Tensor(overwriting: [win.patch, chunk * spatial]), wide = Tensor(overwriting: [f, chunk * spatial])
    xv.withUnsafeBufferPointer { xp in wv.withUnsafeBufferPointer { wp in
        y.withUnsafeMutableBufferPointer { yp in cols.withUnsafeMutableBufferPointer { cp in wide.withUnsafeMutableBufferPointer { wdp in
            for first in Swift.stride(from: 0, to: n, by: chunk) {
                let b = min(chunk, n - first), ld = b * spatial
                ParallelPieces.forEach(b) { i in win.im2col(xp.baseAddress! + (first + i) * imageSize, cp.baseAddress! + i * spatial, rowStride: ld) }
                BLAS.gemm(transposeA: false, transposeB: false, m: f, n: ld, k: win.patch,
                          a: wp.baseAddress!, lda: win.patch, b: cp.baseAddress!, ldb: ld, c: wdp.baseAddress!, ldc: ld)
                // [F, B·spatial] → [B, F, spatial], adding the bias on the way.
                ParallelPieces.forEach(b) { i in for o in 0..<f {
                    let src = wdp.baseAddress! + o * ld + i * spatial, dst = yp.baseAddress! + ((first + i) * f + o) * spatial
                    if let shifts {
                        let shift = shifts[o]
                        for p in 0..<spatial { dst[p] = src[p] + shift }
                    } else {
                        dst.update(from: src, count: spatial)
                    }
                }}
            }
        }}}
    }}
    let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
    return x.tape.record(y, inputs: inputs) { tape, g in
        if let bias {
            tape.accumulate(bias) { db in g.withUnsafeBufferPointer { gp in
                for i in 0..<n { for o in 0..<f {
                    let src = gp.baseAddress! + (i * f + o) * spatial
                    var s: Float = 0
                    for p in 0..<spatial { s += src[p] }
                    db[o] += s
                }}
            }}
        }
        let needX = tape.requiresGrad(x), needW = tape.requiresGrad(weight)
        var dw = Tensor(zeros: wv.shape), dx = Tensor(zeros: xv.shape)
        var scratch = Tensor(overwriting: [win.patch, chunk * spatial]), dcols = Tensor(overwriting: [win.patch, chunk * spatial])
        var gathered = Tensor(overwriting: [f, chunk * spatial])
        g.withUnsafeBufferPointer { gp in xv.withUnsafeBufferPointer { xp in wv.withUnsafeBufferPointer { wp in
            dw.withUnsafeMutableBufferPointer { dwp in dx.withUnsafeMutableBufferPointer { dxp in
                scratch.withUnsafeMutableBufferPointer { cp in dcols.withUnsafeMutableBufferPointer { dcp in
                    gathered.withUnsafeMutableBufferPointer { gw in
                        for first in Swift.stride(from: 0, to: n, by: chunk) {
                            let b = min(chunk, n - first), ld = b * spatial
                            // dY of the chunk as [F, B·spatial], the layout of the forward GEMM's output.
                            ParallelPieces.forEach(b) { i in for o in 0..<f {
                                (gw.baseAddress! + o * ld + i * spatial).update(from: gp.baseAddress! + ((first + i) * f + o) * spatial, count: spatial)
                            }}
                            if needW {
                                ParallelPieces.forEach(b) { i in win.im2col(xp.baseAddress! + (first + i) * imageSize, cp.baseAddress! + i * spatial, rowStride: ld) }
                                BLAS.gemm(transposeA: false, transposeB: true, m: f, n: win.patch, k: ld,
                                          a: gw.baseAddress!, lda: ld, b: cp.baseAddress!, ldb: ld,
                                          beta: 1, c: dwp.baseAddress!, ldc: win.patch)
                            }
                            if needX {
                                BLAS.gemm(transposeA: true, transposeB: false, m: win.patch, n: ld, k: f,
                                          a: wp.baseAddress!, lda: win.patch, b: gw.baseAddress!, ldb: ld,
                                          c: dcp.baseAddress!, ldc: ld)
                                ParallelPieces.forEach(b) { i in
                                    win.col2imAdd(dcp.baseAddress! + i * spatial, dxp.baseAddress! + (first + i) * imageSize, rowStride: ld)
                                }
                            }
                        }
                    }
                }}
            }}
        }}}
        if needW { tape.accumulate(weight, dw) }
        if needX { tape.accumulate(x, dx) }
    }
}
