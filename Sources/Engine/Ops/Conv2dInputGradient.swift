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

    /// One phase (a, b) as a convolution of the zero-padded dY: its geometry, patch offsets and
    /// weight panels.
    private struct PhaseConvolution {
        let conv: ImplicitGEMMConv
        let offsets: [Int]
        let panels: Tensor
        let rowPhase: Int, columnPhase: Int
    }

    /// dX `[N, C, H, W]` of the convolution `win` with weights `[F, C, kH, kW]`, from its output
    /// gradient g `[N, F, outH, outW]`.
    ///
    /// All phases read dY with one padding that holds every phase's windows. With stride s > 1 a
    /// piece of images pads its dY once, computes each phase into a stage, places the phase's
    /// pixels at their (s·u + a, s·v + b) in a full-resolution stage, and writes that out as dX:
    /// computing each phase over the batch into a buffer and interleaving the buffer into dX
    /// afterwards padded dY s² times and sent dX through memory twice more (a stride-2 layer's input
    /// gradient took twice its forward pass).
    static func inputGradient(_ g: UnsafePointer<Float>, weights: UnsafePointer<Float>, of win: Window2d, images: Int,
                              outputs f: Int) -> Tensor {
        let (c, s, kh, kw) = (win.channels, win.stride, win.kernelH, win.kernelW)
        let rowPhases = (0..<s).map { Phase(phase: $0, kernel: kh, stride: s, padding: win.padding, extent: win.height, outputExtent: win.outH) }
        let columnPhases = (0..<s).map { Phase(phase: $0, kernel: kw, stride: s, padding: win.padding, extent: win.width, outputExtent: win.outW) }
        let pad = (rowPhases + columnPhases).map(\.padding).max()!, paddedW = win.outW + 2 * pad
        var phases: [PhaseConvolution] = []
        for (a, rows) in rowPhases.enumerated() { for (b, cols) in columnPhases.enumerated() {
            // A phase without taps (e.g. the odd pixels of a 1×1 convolution with stride 2) gets no gradient.
            guard rows.size > 0 && cols.size > 0 && rows.count > 0 && cols.count > 0 else { continue }
            let conv = ImplicitGEMMConv(win: Window2d(channels: f, height: win.outH, width: win.outW, kernelH: rows.count,
                                                      kernelW: cols.count, stride: 1, padding: pad),
                                        images: images, outH: rows.size, outW: cols.size,
                                        origin: (pad + rows.dmin) * paddedW + pad + cols.dmin)
            let taps = rows.count * cols.count
            let panels = Self.panels(outputs: c, patch: f * taps, index: { ci, k in
                let (fo, tap) = k.quotientAndRemainder(dividingBy: taps), (i, j) = tap.quotientAndRemainder(dividingBy: cols.count)
                return ((fo * c + ci) * kh + rows.tap(i)) * kw + cols.tap(j)
            }, weights)
            phases.append(PhaseConvolution(conv: conv, offsets: conv.offsets(), panels: panels, rowPhase: a, columnPhase: b))
        }}
        // A kernel whose taps all land in the padding (1×1, stride 3, padding 1 on a 2×2 map) leaves none.
        guard !phases.isEmpty else { return Tensor(zeros: [images, c, win.height, win.width]) }
        var dx = Tensor(overwriting: [images, c, win.height, win.width])
        dx.withUnsafeMutableBufferPointer { dp in
            if s == 1 {
                phases[0].panels.withUnsafeBufferPointer { phases[0].conv.convolve(g, panels: $0.baseAddress!, outputs: c, into: dp.baseAddress!) }
            } else {
                interleavePhases(phases, g, of: win, images: images, channels: c, into: dp.baseAddress!)
            }
        }
        return dx
    }

    /// The s² phases of dX computed and interleaved piece by piece (see `inputGradient`).
    private static func interleavePhases(_ phases: [PhaseConvolution], _ g: UnsafePointer<Float>, of win: Window2d, images: Int,
                                         channels c: Int, into dx: UnsafeMutablePointer<Float>) {
        let (s, spatial) = (win.stride, win.height * win.width)
        // Every phase pads dY alike (one padding, one channel count), so any one of them pads it.
        let group = Swift.max(1, 256 / spatial), padding = phases[0].conv
        let tileRows = Self.tileRows(group * phases.map(\.conv.outputPixels).max()!)
        let untouched = phases.count < s * s
        ParallelPieces.forEach((images + group - 1) / group) { piece in
            let first = piece * group, count = Swift.min(group, images - first)
            withUnsafeTemporaryAllocation(of: Float.self, capacity: group * padding.paddedImage) { paddedBuffer in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: tileRows * c) { stageBuffer in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: group * spatial * c) { fullBuffer in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: tileRows) { bases in
                let (dy, stage, full) = (paddedBuffer.baseAddress!, stageBuffer.baseAddress!, fullBuffer.baseAddress!)
                padding.pad(g, images: first..<(first + count), into: dy)
                if untouched { full.update(repeating: 0, count: count * spatial * c) }
                for phase in phases {
                    let conv = phase.conv
                    phase.offsets.withUnsafeBufferPointer { offsets in phase.panels.withUnsafeBufferPointer { panels in
                        conv.multiply(dy, images: count, offsets: offsets.baseAddress!, panels: panels.baseAddress!, outputs: c,
                                      bases: bases.baseAddress!, into: stage)
                    }}
                    // Phase pixel (u, v) of image n is dX pixel (s·u + a, s·v + b).
                    var row = stage
                    for n in 0..<count { for u in 0..<conv.outH {
                        var pixel = full + ((n * win.height + s * u + phase.rowPhase) * win.width + phase.columnPhase) * c
                        for _ in 0..<conv.outW {
                            Self.copyShortRow(row, pixel, count: c)
                            row += c
                            pixel += s * c
                        }
                    }}
                }
                Self.writeOut(full, images: count, pixels: spatial, channels: c, epilogue: ConvEpilogue(), into: dx + first * c * spatial)
            }}}}
        }
    }
}
