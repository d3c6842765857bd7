/// Geometry of a 2-D convolution or pooling window over an NCHW input.
struct Window2d {
    let channels, height, width, kernelH, kernelW, stride, padding: Int
    var outH: Int { (height + 2 * padding - kernelH) / stride + 1 }
    var outW: Int { (width + 2 * padding - kernelW) / stride + 1 }
    /// Rows of the im2col matrix: one per (channel, kernel row, kernel column).
    var patch: Int { channels * kernelH * kernelW }

    /// Unfolds one image `[C, H, W]` into `cols` `[C·kH·kW, outH·outW]` (zeros where the window
    /// hangs over the padding), so the convolution becomes one GEMM.
    func im2col(_ image: UnsafePointer<Float>, _ cols: UnsafeMutablePointer<Float>) {
        let (oh, ow) = (outH, outW)
        for c in 0..<channels { for i in 0..<kernelH { for j in 0..<kernelW {
            let row = cols + ((c * kernelH + i) * kernelW + j) * oh * ow
            for y in 0..<oh {
                let sy = y * stride - padding + i
                let dst = row + y * ow
                if sy < 0 || sy >= height { for x in 0..<ow { dst[x] = 0 }; continue }
                let src = image + (c * height + sy) * width
                for x in 0..<ow {
                    let sx = x * stride - padding + j
                    dst[x] = sx >= 0 && sx < width ? src[sx] : 0
                }
            }
        }}}
    }

    /// The adjoint of `im2col`: adds each column entry back onto the pixel it was read from.
    func col2imAdd(_ cols: UnsafePointer<Float>, _ image: UnsafeMutablePointer<Float>) {
        let (oh, ow) = (outH, outW)
        for c in 0..<channels { for i in 0..<kernelH { for j in 0..<kernelW {
            let row = cols + ((c * kernelH + i) * kernelW + j) * oh * ow
            for y in 0..<oh {
                let sy = y * stride - padding + i
                if sy < 0 || sy >= height { continue }
                let dst = image + (c * height + sy) * width, src = row + y * ow
                for x in 0..<ow {
                    let sx = x * stride - padding + j
                    if sx >= 0 && sx < width { dst[sx] += src[x] }
                }
            }
        }}}
    }
}

/// 2-D convolution (cross-correlation, as in PyTorch's `Conv2d`) of x `[N, C, H, W]` with weight
/// `[F, C, kH, kW]` and bias `[F]`, zero padding on all sides, giving `[N, F, outH, outW]`.
///
/// Per image, im2col then one GEMM: Y_n = W · cols_n + b. The backward recomputes cols_n into one
/// scratch buffer instead of storing them for the batch: dW += dY_n · cols_nᵀ,
/// dcols = Wᵀ · dY_n folded back by col2im into dx_n, db = Σ dY.
public func conv2d(_ x: Var, weight: Var, bias: Var?, stride: Int = 1, padding: Int = 0) -> Var {
    precondition(x.shape.count == 4 && weight.shape.count == 4 && weight.shape[1] == x.shape[1],
                 "conv2d: input \(x.shape) must be [N, C, H, W] and weight \(weight.shape) [F, C, kH, kW]")
    let (n, f) = (x.shape[0], weight.shape[0])
    let win = Window2d(channels: x.shape[1], height: x.shape[2], width: x.shape[3],
                       kernelH: weight.shape[2], kernelW: weight.shape[3], stride: stride, padding: padding)
    precondition(win.outH > 0 && win.outW > 0, "conv2d: kernel \(weight.shape) does not fit input \(x.shape) with padding \(padding)")
    if let bias { precondition(bias.shape == [f], "conv2d: bias \(bias.shape) must be [\(f)]") }
    let spatial = win.outH * win.outW, imageSize = win.channels * win.height * win.width
    let (xv, wv) = (x.value, weight.value)
    var y = Tensor(zeros: [n, f, win.outH, win.outW])
    var cols = Tensor(zeros: [win.patch, spatial])
    xv.withUnsafeBufferPointer { xp in wv.withUnsafeBufferPointer { wp in
        y.withUnsafeMutableBufferPointer { yp in cols.withUnsafeMutableBufferPointer { cp in
            for i in 0..<n {
                let out = yp.baseAddress! + i * f * spatial
                if let bias {
                    bias.value.withUnsafeBufferPointer { bp in
                        for o in 0..<f { (out + o * spatial).update(repeating: bp[o], count: spatial) }
                    }
                }
                win.im2col(xp.baseAddress! + i * imageSize, cp.baseAddress!)
                BLAS.gemm(transposeA: false, transposeB: false, m: f, n: spatial, k: win.patch,
                          a: wp.baseAddress!, lda: win.patch, b: cp.baseAddress!, ldb: spatial,
                          beta: 1, c: out, ldc: spatial)
            }
        }}
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
        var scratch = Tensor(zeros: [win.patch, spatial]), dcols = Tensor(zeros: [win.patch, spatial])
        g.withUnsafeBufferPointer { gp in xv.withUnsafeBufferPointer { xp in wv.withUnsafeBufferPointer { wp in
            dw.withUnsafeMutableBufferPointer { dwp in dx.withUnsafeMutableBufferPointer { dxp in
                scratch.withUnsafeMutableBufferPointer { cp in dcols.withUnsafeMutableBufferPointer { dcp in
                    for i in 0..<n {
                        let go = gp.baseAddress! + i * f * spatial
                        if needW {
                            win.im2col(xp.baseAddress! + i * imageSize, cp.baseAddress!)
                            BLAS.gemm(transposeA: false, transposeB: true, m: f, n: win.patch, k: spatial,
                                      a: go, lda: spatial, b: cp.baseAddress!, ldb: spatial,
                                      beta: 1, c: dwp.baseAddress!, ldc: win.patch)
                        }
                        if needX {
                            BLAS.gemm(transposeA: true, transposeB: false, m: win.patch, n: spatial, k: f,
                                      a: wp.baseAddress!, lda: win.patch, b: go, ldb: spatial,
                                      c: dcp.baseAddress!, ldc: spatial)
                            win.col2imAdd(dcp.baseAddress!, dxp.baseAddress! + i * imageSize)
                        }
                    }
                }}
            }}
        }}}
        if needW { tape.accumulate(weight, dw) }
        if needX { tape.accumulate(x, dx) }
    }
}
