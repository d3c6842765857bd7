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
        if stride == 1 && oh == height && ow == width {
            for c in 0..<channels { for i in 0..<kernelH { for j in 0..<kernelW {
                shiftedPlane(image + c * height * width, cols + ((c * kernelH + i) * kernelW + j) * ld,
                             dy: i - padding, dx: j - padding)
            }}}
            return
        }
        for c in 0..<channels { for i in 0..<kernelH { for j in 0..<kernelW {
            let row = cols + ((c * kernelH + i) * kernelW + j) * ld
            let xs = inside(j)
            for y in 0..<oh {
                let sy = y * stride - padding + i
                let dst = row + y * ow
                guard sy >= 0 && sy < height, !xs.isEmpty else { dst.update(repeating: 0, count: ow); continue }
                let src = image + (c * height + sy) * width - padding + j
                for x in 0..<xs.lowerBound { dst[x] = 0 }
                if stride == 1 {
                    (dst + xs.lowerBound).update(from: src + xs.lowerBound, count: xs.count)
                } else {
                    var from = src + xs.lowerBound &* stride
                    for x in xs { dst[x] = from.pointee; from += stride }
                }
                for x in xs.upperBound..<ow { dst[x] = 0 }
            }
        }}}
    }

    /// One im2col row of a "same" convolution (stride 1, output as large as the input): the plane
    /// shifted by (dy, dx), zero where the shift leaves the image. Output pixel d = y·W + x reads
    /// pixel d + dy·W + dx, so the rows inside the image are one block copy instead of a short copy
    /// per row (28 floats in a Fashion-MNIST layer, where the call cost more than the copy); the
    /// copy wraps into the neighbouring row at the |dx| edge columns, which are zeroed after it.
    private func shiftedPlane(_ plane: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, dy: Int, dx: Int) {
        let (h, w) = (height, width), shift = dy * w + dx
        let (y0, y1) = (Swift.max(0, -dy), Swift.min(h, h - dy))
        guard y0 < y1, abs(dx) < w else { dst.update(repeating: 0, count: h * w); return }
        dst.update(repeating: 0, count: y0 * w)
        (dst + y1 * w).update(repeating: 0, count: (h - y1) * w)
        // The block's first or last pixel may lie before or after the plane; both are edge columns.
        let (lo, hi) = (Swift.max(y0 * w, -shift), Swift.min(y1 * w, h * w - shift))
        (dst + lo).update(from: plane + lo + shift, count: hi - lo)
        let edge = dx < 0 ? 0..<(-dx) : (w - dx)..<w
        for y in y0..<y1 { for x in edge { dst[y * w + x] = 0 } }
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

/// The general convolution path, for channel counts the implicit GEMM does not take (outputs for
/// the forward pass and weight gradient, inputs for the input gradient, not multiples of 16).
///
/// Images go in chunks of B: im2col of the chunk side by side, then one GEMM
/// Y_B = W · [cols_1 … cols_B] + b, so small feature maps still make GEMMs wide enough for BLAS
/// (one GEMM per image with a few output channels runs at a fraction of its speed). The backward
/// recomputes each chunk's cols instead of storing them for the batch: dW += dY_B · cols_Bᵀ,
/// dcols = Wᵀ · dY_B folded back by col2im into dx.
struct Im2colConv {
    let win: Window2d
    let images: Int, outputs: Int
    var spatial: Int { win.outH * win.outW }
    var imageSize: Int { win.channels * win.height * win.width }
    /// About 16k GEMM columns per chunk, and at most 8M floats of cols.
    var chunk: Int { max(1, min(images, max(1, 16_384 / spatial), max(1, 8_388_608 / (win.patch * spatial)))) }

    /// y `[N, F, outH, outW]` from x and weight `[F, C·kH·kW]`, then the epilogue.
    func forward(_ xp: UnsafePointer<Float>, _ wp: UnsafePointer<Float>, epilogue: ConvEpilogue) -> Tensor {
        let (f, spatial, chunk) = (outputs, spatial, chunk)
        var y = Tensor(overwriting: [images, f, win.outH, win.outW])
        var cols = Tensor(overwriting: [win.patch, chunk * spatial]), wide = Tensor(overwriting: [f, chunk * spatial])
        y.withUnsafeMutableBufferPointer { yp in cols.withUnsafeMutableBufferPointer { cp in wide.withUnsafeMutableBufferPointer { wdp in
            for first in Swift.stride(from: 0, to: images, by: chunk) {
                let b = min(chunk, images - first), ld = b * spatial
                ParallelPieces.forEach(b) { i in win.im2col(xp + (first + i) * imageSize, cp.baseAddress! + i * spatial, rowStride: ld) }
                BLAS.gemm(transposeA: false, transposeB: false, m: f, n: ld, k: win.patch,
                          a: wp, lda: win.patch, b: cp.baseAddress!, ldb: ld, c: wdp.baseAddress!, ldc: ld)
                // [F, B·spatial] → [B, F, spatial].
                ParallelPieces.forEach(b) { i in for o in 0..<f {
                    (yp.baseAddress! + ((first + i) * f + o) * spatial).update(from: wdp.baseAddress! + o * ld + i * spatial, count: spatial)
                }}
            }
            epilogue.apply(to: yp.baseAddress!, images: images, channels: f, spatial: spatial)
        }}}
        return y
    }

    /// dW `[F, C·kH·kW]` from the output gradient g and the input x.
    func weightGradient(_ gp: UnsafePointer<Float>, _ xp: UnsafePointer<Float>) -> Tensor {
        var dw = Tensor(zeros: [outputs, win.patch])
        var cols = Tensor(overwriting: [win.patch, chunk * spatial])
        dw.withUnsafeMutableBufferPointer { dwp in cols.withUnsafeMutableBufferPointer { cp in
            eachChunk(gp) { first, b, gathered in
                let ld = b * spatial
                ParallelPieces.forEach(b) { i in win.im2col(xp + (first + i) * imageSize, cp.baseAddress! + i * spatial, rowStride: ld) }
                BLAS.gemm(transposeA: false, transposeB: true, m: outputs, n: win.patch, k: ld,
                          a: gathered, lda: ld, b: cp.baseAddress!, ldb: ld,
                          beta: 1, c: dwp.baseAddress!, ldc: win.patch)
            }
        }}
        return dw
    }

    /// dx `[N, C, H, W]` from the output gradient g and weight `[F, C·kH·kW]`.
    func inputGradient(_ gp: UnsafePointer<Float>, _ wp: UnsafePointer<Float>) -> Tensor {
        var dx = Tensor(zeros: [images, win.channels, win.height, win.width])
        var dcols = Tensor(overwriting: [win.patch, chunk * spatial])
        dx.withUnsafeMutableBufferPointer { dxp in dcols.withUnsafeMutableBufferPointer { dcp in
            eachChunk(gp) { first, b, gathered in
                let ld = b * spatial
                BLAS.gemm(transposeA: true, transposeB: false, m: win.patch, n: ld, k: outputs,
                          a: wp, lda: win.patch, b: gathered, ldb: ld, c: dcp.baseAddress!, ldc: ld)
                ParallelPieces.forEach(b) { i in
                    win.col2imAdd(dcp.baseAddress! + i * spatial, dxp.baseAddress! + (first + i) * imageSize, rowStride: ld)
                }
            }
        }}
        return dx
    }

    /// Calls `body(first, b, dY_B)` for each chunk, dY of its b images as [F, b·spatial]: the
    /// layout of the forward GEMM's output.
    private func eachChunk(_ gp: UnsafePointer<Float>, _ body: (Int, Int, UnsafePointer<Float>) -> Void) {
        let (f, spatial) = (outputs, spatial)
        var gathered = Tensor(overwriting: [f, chunk * spatial])
        gathered.withUnsafeMutableBufferPointer { gw in
            for first in Swift.stride(from: 0, to: images, by: chunk) {
                let b = min(chunk, images - first), ld = b * spatial
                ParallelPieces.forEach(b) { i in for o in 0..<f {
                    (gw.baseAddress! + o * ld + i * spatial).update(from: gp + ((first + i) * f + o) * spatial, count: spatial)
                }}
                body(first, b, gw.baseAddress!)
            }
        }
    }
}
