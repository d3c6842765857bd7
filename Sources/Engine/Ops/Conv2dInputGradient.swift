/// The input gradient of a convolution through the implicit GEMM (input channels in multiples of 16).
///
/// dX[c, Y, X] = Σ_{f,i,j} W[f, c, i, j] · dY[f, (Y + p − i)/s, (X + p − j)/s] over the taps where
/// both divisions are exact and land inside dY. Split by phase (a, b) = (Y mod s, X mod s): with
/// Y = s·u + a, the taps i ≡ a + p (mod s) read dY row u + d for d = (a + p − i)/s, consecutive
/// integers, so each phase is a dense stride-1 convolution of dY with its taps' sub-kernel,
/// flipped in space and transposed in channels. Stride 1 is one phase with the whole kernel; a
/// 3×3 kernel with stride 2 splits into phases of 1, 2, 2 and 4 taps, so no multiply-add meets a
/// zero (convolving a zero-dilated dY instead would spend three quarters of its work on zeros).
extension ImplicitGEMMConv {
    /// The taps of one phase along one axis.
    struct Phase {
        /// Output positions of the phase, Y = s·u + a < extent.
        let size: Int
        /// dY offsets d_min … d_min + count − 1; count 0 when no tap lands on this phase.
        let dmin: Int, count: Int
        /// Zero padding of dY that keeps every window of the phase inside the padded map.
        let padding: Int
        let phase: Int, windowPadding: Int, stride: Int

        init(phase a: Int, kernel: Int, stride s: Int, padding p: Int, extent: Int, outputExtent: Int) {
            (phase, windowPadding, stride) = (a, p, s)
            size = a < extent ? (extent - a + s - 1) / s : 0
            let offsets = (0..<kernel).filter { ($0 - a - p) % s == 0 }.map { (a + p - $0) / s }
            dmin = offsets.min() ?? 0
            count = offsets.count
            padding = Swift.max(0, -dmin, size - 1 + dmin + count - 1 - (outputExtent - 1))
        }

        /// The kernel index of offset d_min + t.
        func tap(_ t: Int) -> Int { phase + windowPadding - stride * (dmin + t) }
    }

    /// dX `[N, C, H, W]` of the convolution `win` with weights `[F, C, kH, kW]`, from its output
    /// gradient g `[N, F, outH, outW]`.
    ///
    /// With stride s > 1 the s² phases are computed first, one after another in one buffer, then
    /// interleaved into dX in one pass, image by image and row by row: scattering each phase into
    /// dX as soon as it was computed took s² passes over dX with strided stores (a fifth of this
    /// op's time in the ResNet benchmark).
    static func inputGradient(_ g: UnsafePointer<Float>, weights: UnsafePointer<Float>, of win: Window2d, images: Int,
                              outputs f: Int) -> Tensor {
        let (c, s, kh, kw) = (win.channels, win.stride, win.kernelH, win.kernelW)
        let rowPhases = (0..<s).map { Phase(phase: $0, kernel: kh, stride: s, padding: win.padding, extent: win.height, outputExtent: win.outH) }
        let columnPhases = (0..<s).map { Phase(phase: $0, kernel: kw, stride: s, padding: win.padding, extent: win.width, outputExtent: win.outW) }
        // Phase (a, b)'s values `[N, C, rows, columns]` lie one after another in `phases` (together
        // as many as dX), at `phaseStart[a·s + b]`; with stride 1 the one phase is dX itself.
        var phaseStart: [Int] = [], next = 0
        for rows in rowPhases { for cols in columnPhases { phaseStart.append(next); next += images * c * rows.size * cols.size } }
        var dx = Tensor(overwriting: [images, c, win.height, win.width])
        var phases = Tensor(overwriting: [s > 1 ? next : 0])
        dx.withUnsafeMutableBufferPointer { dp in phases.withUnsafeMutableBufferPointer { pp in
            for (a, rows) in rowPhases.enumerated() { for (b, cols) in columnPhases.enumerated() {
                // A phase without taps (e.g. the odd pixels of a 1×1 convolution with stride 2) gets no gradient.
                guard rows.size > 0 && cols.size > 0 && rows.count > 0 && cols.count > 0 else { continue }
                let pad = Swift.max(rows.padding, cols.padding), paddedW = win.outW + 2 * pad
                let conv = ImplicitGEMMConv(win: Window2d(channels: f, height: win.outH, width: win.outW, kernelH: rows.count,
                                                          kernelW: cols.count, stride: 1, padding: pad),
                                            images: images, outH: rows.size, outW: cols.size,
                                            origin: (pad + rows.dmin) * paddedW + pad + cols.dmin)
                let taps = rows.count * cols.count
                let panels = Self.panels(outputs: c, patch: f * taps, index: { ci, k in
                    let (fo, tap) = k.quotientAndRemainder(dividingBy: taps), (i, j) = tap.quotientAndRemainder(dividingBy: cols.count)
                    return ((fo * c + ci) * kh + rows.tap(i)) * kw + cols.tap(j)
                }, weights)
                panels.withUnsafeBufferPointer { panel in
                    conv.convolve(g, panels: panel.baseAddress!, outputs: c,
                                  into: s == 1 ? dp.baseAddress! : pp.baseAddress! + phaseStart[a * s + b])
                }
            }}
            guard s > 1 else { return }
            ParallelPieces.forEach(images) { n in
                for plane in (n * c)..<((n + 1) * c) { for y in 0..<win.height {
                    let (u, a) = y.quotientAndRemainder(dividingBy: s), rows = rowPhases[a]
                    let dst = dp.baseAddress! + (plane * win.height + y) * win.width
                    for (b, cols) in columnPhases.enumerated() where cols.size > 0 {
                        if rows.count > 0 && cols.count > 0 {
                            let src = pp.baseAddress! + phaseStart[a * s + b] + (plane * rows.size + u) * cols.size
                            for v in 0..<cols.size { dst[s * v + b] = src[v] }
                        } else {
                            for v in 0..<cols.size { dst[s * v + b] = 0 }
                        }
                    }
                }}
            }
        }}
        return dx
    }
}
