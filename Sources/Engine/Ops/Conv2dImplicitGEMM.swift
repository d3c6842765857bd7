/// Convolution as an implicit GEMM: no im2col matrix is written. Output pixel q and patch entry
/// k = (c, i, j) meet at Xpad[base(q) + offset(k)] of the zero-padded input, so a register tile of
/// 6 output pixels × 16 output channels reads its inputs straight from the image, broadcasts each,
/// and multiplies it with 16 consecutive weights held in two 8-wide vectors: 12 fused multiply-adds
/// per 8 loads, the 6×16 shape of an AVX2 sgemm micro-kernel. For the narrow layers of a
/// small-image ResNet (16–64 channels) writing the C·kH·kW × pixels matrix, and BLAS packing it
/// again, took longer than the multiply-adds (profile of issue 13: im2col, copies and packing 60%
/// of a forward pass, the GEMM kernel 27%).
///
/// Every output is one fused multiply-add chain over its sum in a fixed order (k for the
/// convolution, pixels in batch order for the weight gradient), whatever the tiling and threads, so
/// results are the same for any thread count.
struct ImplicitGEMMConv {
    typealias Vector = SIMD8<Float>
    static let pixels = 6, channels = 16

    /// Geometry on the unpadded input.
    let win: Window2d
    let images: Int
    /// Output size (the window's own unless given) and where output pixel (0, 0)'s window starts in
    /// a padded image: the input gradient's phases (`Conv2dInputGradient.swift`) read windows that
    /// a symmetric padding alone would not place.
    let outH: Int, outW: Int, origin: Int

    init(win: Window2d, images: Int, outH: Int? = nil, outW: Int? = nil, origin: Int = 0) {
        self.win = win
        self.images = images
        (self.outH, self.outW, self.origin) = (outH ?? win.outH, outW ?? win.outW, origin)
    }

    var paddedH: Int { win.height + 2 * win.padding }
    var paddedW: Int { win.width + 2 * win.padding }
    var paddedImage: Int { win.channels * paddedH * paddedW }
    var outputPixels: Int { outH * outW }
    /// Output pixels of the batch, the rows of the implicit GEMM.
    var rows: Int { images * outputPixels }

    /// Whether the kernels apply: output channels in whole tiles of 16.
    static func applies(outputs: Int) -> Bool { outputs > 0 && outputs % channels == 0 }

    /// Offset of patch entry k = (c, i, j) from its window's corner in a padded image.
    func offsets() -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(win.patch)
        for c in 0..<win.channels { for i in 0..<win.kernelH { for j in 0..<win.kernelW {
            result.append((c * paddedH + i) * paddedW + j)
        }}}
        return result
    }

    /// Output pixels in order, with where each one's window starts in images padded one after
    /// another (the batch, or the images a piece or chunk padded); stepping costs no division.
    struct PixelCursor {
        let conv: ImplicitGEMMConv
        var image: Int, y: Int, x: Int

        init(_ conv: ImplicitGEMMConv, first q: Int) {
            self.conv = conv
            let (n, r) = q.quotientAndRemainder(dividingBy: conv.outputPixels)
            (image, (y, x)) = (n, r.quotientAndRemainder(dividingBy: conv.outW))
        }

        var base: Int { image * conv.paddedImage + (y * conv.paddedW + x) * conv.win.stride + conv.origin }

        mutating func advance() {
            x += 1
            guard x == conv.outW else { return }
            (x, y) = (0, y + 1)
            if y == conv.outH { (y, image) = (0, image + 1) }
        }
    }

    /// Images `range` of x `[N, C, H, W]`, zero-padded, one after another from `out`.
    func pad(_ x: UnsafePointer<Float>, images range: Range<Int>, into out: UnsafeMutablePointer<Float>) {
        for plane in 0..<(range.count * win.channels) {
            padPlane(x + (range.lowerBound * win.channels + plane) * win.height * win.width, into: out + plane * paddedH * paddedW)
        }
    }

    /// One `[H, W]` plane at `source`, zero-padded, at `padded`.
    @inline(__always) func padPlane(_ source: UnsafePointer<Float>, into padded: UnsafeMutablePointer<Float>) {
        let (h, w, p, wp) = (win.height, win.width, win.padding, paddedW)
        padded.update(repeating: 0, count: p * wp)
        for y in 0..<h {
            let row = padded + (y + p) * wp
            for j in 0..<p { row[j] = 0; row[p + w + j] = 0 }
            Self.copyShortRow(source + y * w, row + p, count: w)
        }
        (padded + (p + h) * wp).update(repeating: 0, count: p * wp)
    }

    /// A row of a small feature map (4–28 floats), or one pixel's channels, in vector moves:
    /// `memmove` per row cost more than the copy.
    @inline(__always) static func copyShortRow(_ from: UnsafePointer<Float>, _ to: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 8 <= count {
            UnsafeMutableRawPointer(to + i).storeBytes(of: UnsafeRawPointer(from + i).loadUnaligned(as: Vector.self), as: Vector.self)
            i += 8
        }
        while i < count { to[i] = from[i]; i += 1 }
    }

    /// Weights W[o, k] (at `weights[index(o, k)]`) as panels of 16 outputs: panel b holds
    /// W[16b + l, k] at k·16 + l, so a tile reads 16 consecutive floats per k.
    static func panels(outputs: Int, patch: Int, index: (_ output: Int, _ k: Int) -> Int, _ weights: UnsafePointer<Float>) -> Tensor {
        var result = Tensor(overwriting: [outputs / channels, patch, channels])
        result.withUnsafeMutableBufferPointer { rp in
            let out = rp.baseAddress!
            ParallelPieces.forEach(outputs / channels) { block in
                for o in (block * channels)..<((block + 1) * channels) {
                    let panel = out + block * patch * channels + o % channels
                    for k in 0..<patch { panel[k * channels] = weights[index(o, k)] }
                }
            }
        }
        return result
    }

    /// y[n, o, pixel] = epilogue(Σ_k Xpad[base + offset(k)] · W[o, k]) for every output pixel of the
    /// batch, o over `outputs` channels, from the unpadded x; y is NCHW with this geometry's output
    /// size.
    ///
    /// A piece is a group of images with about 256 output pixels. It pads its images into a buffer
    /// that stays in cache (padding the whole batch first sent it through memory twice), collects
    /// its tiles pixel-major, then writes each channel's values as runs: stores of 6 values into 16
    /// planes per tile stalled on the cache.
    func convolve(_ x: UnsafePointer<Float>, panels: UnsafePointer<Float>, outputs: Int, epilogue: ConvEpilogue = ConvEpilogue(),
                  into y: UnsafeMutablePointer<Float>) {
        let offsets = self.offsets(), spatial = outputPixels
        let group = Swift.max(1, 256 / spatial), tileRows = Self.tileRows(group * spatial)
        offsets.withUnsafeBufferPointer { offset in
            ParallelPieces.forEach((images + group - 1) / group) { piece in
                let first = piece * group, count = Swift.min(group, images - first)
                withUnsafeTemporaryAllocation(of: Float.self, capacity: group * paddedImage) { padded in
                withUnsafeTemporaryAllocation(of: Float.self, capacity: tileRows * outputs) { stage in
                withUnsafeTemporaryAllocation(of: Int.self, capacity: tileRows) { bases in
                    pad(x, images: first..<(first + count), into: padded.baseAddress!)
                    multiply(padded.baseAddress!, images: count, offsets: offset.baseAddress!, panels: panels, outputs: outputs,
                             bases: bases.baseAddress!, into: stage.baseAddress!)
                    Self.writeOut(stage.baseAddress!, images: count, pixels: spatial, channels: outputs, epilogue: epilogue,
                                  into: y + first * outputs * spatial)
                }}}
            }
        }
    }

    /// Rows of whole 6-pixel tiles that hold `pixels` rows.
    static func tileRows(_ pixels: Int) -> Int { (pixels + Self.pixels - 1) / Self.pixels * Self.pixels }

    /// The sums of every output pixel of `images` padded images at `padded`, pixel-major: row r of
    /// `stage` (`outputs` floats) is pixel r in batch order. `bases` and `stage` have room for
    /// `tileRows(images · outputPixels)` rows: a tile reads six window starts and writes six rows.
    func multiply(_ padded: UnsafePointer<Float>, images: Int, offsets: UnsafePointer<Int>, panels: UnsafePointer<Float>,
                  outputs: Int, bases b: UnsafeMutablePointer<Int>, into stage: UnsafeMutablePointer<Float>) {
        let rows = images * outputPixels, patch = win.patch
        var cursor = PixelCursor(self, first: 0)
        for r in 0..<rows {
            b[r] = cursor.base
            cursor.advance()
        }
        // A partial last tile repeats the last pixel; the repeats are not stored.
        for r in rows..<Self.tileRows(rows) { b[r] = b[rows - 1] }
        for t in Swift.stride(from: 0, to: rows, by: Self.pixels) {
            for block in 0..<(outputs / Self.channels) {
                Self.tile(padded, b[t], b[t + 1], b[t + 2], b[t + 3], b[t + 4], b[t + 5], offsets,
                          panels + block * patch * Self.channels, patch, stage + t * outputs + block * Self.channels, outputs)
            }
        }
    }

    /// Pixel-major values of `images` images (`pixels` rows of `channels` floats each) written NCHW at
    /// `out` through the epilogue, 8 × 8 blocks transposed in registers: each image's pixels are
    /// consecutive in every output plane.
    static func writeOut(_ stage: UnsafePointer<Float>, images: Int, pixels spatial: Int, channels outputs: Int,
                         epilogue: ConvEpilogue, into y: UnsafeMutablePointer<Float>) {
        let whole = spatial / 8 * 8
        for n in 0..<images {
            let image = stage + n * spatial * outputs, out = y + n * outputs * spatial
            for o in Swift.stride(from: 0, to: outputs, by: 8) {
                for i in Swift.stride(from: 0, to: whole, by: 8) {
                    transpose8x8(image + i * outputs + o, outputs) { l, values in
                        let v = epilogue.isIdentity ? values : epilogue.apply(values, channel: o + l)
                        UnsafeMutableRawPointer(out + (o + l) * spatial + i).storeBytes(of: v, as: Vector.self)
                    }
                }
                for l in 0..<8 {
                    for i in whole..<spatial {
                        out[(o + l) * spatial + i] = epilogue.apply(image[i * outputs + o + l], channel: o + l)
                    }
                }
            }
        }
    }

    /// dW[o, k] = Σ_q g[o, q] · Xpad[base(q) + offset(k)] over the batch's output pixels q in order,
    /// from the unpadded x and the output gradient g `[N, outputs, outH, outW]`; returns dW
    /// `[outputs, patch]`.
    ///
    /// g is first turned pixel-major for the whole batch, in panels of 16 channels (a tile's), each
    /// image by one thread, and then only read: a tile streams its panel's rows one after another.
    /// With the rows of all channels interleaved, a tile of a wide layer read 64 bytes in every 256
    /// or 512 and waited on the cache (ResNet's last layers ran their weight gradient at half the
    /// forward's rate). The work is split by groups of input channels whose patch entries fill whole
    /// tiles (2 channels of a 3×3 kernel, 6 of a 1×1): a group's piece pads its own channels of the
    /// batch, in chunks of images whose g rows stay in cache, into a buffer of its own, and runs
    /// every 6 × 16 tile of its entries over each chunk. Nothing a thread writes is read by another
    /// until the end: padding a chunk once for all threads into a shared buffer made each write wait
    /// for the other core's copy to be invalidated, and two threads took longer than one. A tile's
    /// sums are loaded and stored between chunks exactly, so each dW entry is one chain over all
    /// pixels in order, whatever the threads.
    func weightGradient(_ x: UnsafePointer<Float>, outputGradient g: UnsafePointer<Float>, outputs: Int) -> Tensor {
        let (spatial, taps) = (outputPixels, win.kernelH * win.kernelW)
        let groupChannels = Self.lcm(taps, Self.pixels) / taps, groups = (win.channels + groupChannels - 1) / groupChannels
        // The padded images of one group, and where each pixel's window starts in them.
        let group = ImplicitGEMMConv(win: Window2d(channels: groupChannels, height: win.height, width: win.width, kernelH: win.kernelH,
                                                   kernelW: win.kernelW, stride: win.stride, padding: win.padding),
                                     images: images, outH: outH, outW: outW, origin: origin)
        let chunkImages = Swift.max(1, Swift.min(images, 4096 / spatial))
        var cursor = PixelCursor(group, first: 0)
        let bases = (0..<(chunkImages * spatial)).map { _ in defer { cursor.advance() }; return cursor.base }
        let offsets = group.offsets(), blocks = outputs / Self.channels
        let panelRows = rows * Self.channels
        var pixelMajor = Tensor(overwriting: [blocks, rows, Self.channels])
        pixelMajor.withUnsafeMutableBufferPointer { gp in
            ParallelPieces.forEach(images) { n in
                Self.pixelMajor(g + n * outputs * spatial, channels: outputs, pixels: spatial,
                                into: gp.baseAddress! + n * spatial * Self.channels, panelStride: panelRows)
            }
        }
        var sums = Tensor(zeros: [win.patch, outputs])
        sums.withUnsafeMutableBufferPointer { sp in bases.withUnsafeBufferPointer { bp in offsets.withUnsafeBufferPointer { op in
            pixelMajor.withUnsafeBufferPointer { gp in
                let (sum, base, offset, gm) = (sp.baseAddress!, bp.baseAddress!, op.baseAddress!, gp.baseAddress!)
                ParallelPieces.forEach(groups) { γ in
                    let firstChannel = γ * groupChannels, channels = Swift.min(groupChannels, win.channels - firstChannel)
                    let firstEntry = firstChannel * taps, entries = channels * taps
                    withUnsafeTemporaryAllocation(of: Float.self, capacity: chunkImages * group.paddedImage) { paddedBuffer in
                    withUnsafeTemporaryAllocation(of: Float.self, capacity: Self.pixels * Self.channels) { tileBuffer in
                        let (padded, tile) = (paddedBuffer.baseAddress!, tileBuffer.baseAddress!)
                        for first in Swift.stride(from: 0, to: images, by: chunkImages) {
                            let count = Swift.min(chunkImages, images - first)
                            for n in 0..<count {
                                for c in 0..<channels {
                                    padPlane(x + ((first + n) * win.channels + firstChannel + c) * win.height * win.width,
                                             into: padded + (n * groupChannels + c) * paddedH * paddedW)
                                }
                            }
                            for block in 0..<blocks {
                                for k0 in Swift.stride(from: 0, to: entries, by: Self.pixels) {
                                    // A partial tile repeats its last entry; the repeats are not stored.
                                    let last = Swift.min(Self.pixels, entries - k0) - 1
                                    for r in 0..<Self.pixels {
                                        let row = sum + (firstEntry + k0 + Swift.min(r, last)) * outputs + block * Self.channels
                                        (tile + r * Self.channels).update(from: row, count: Self.channels)
                                    }
                                    let o = offset + k0
                                    Self.weightTile(padded, o[0], o[Swift.min(1, last)], o[Swift.min(2, last)], o[Swift.min(3, last)],
                                                    o[Swift.min(4, last)], o[last], base, count * spatial,
                                                    gm + block * panelRows + first * spatial * Self.channels, tile)
                                    for r in 0...last {
                                        (sum + (firstEntry + k0 + r) * outputs + block * Self.channels)
                                            .update(from: tile + r * Self.channels, count: Self.channels)
                                    }
                                }
                            }
                        }
                    }}
                }
            }
        }}}
        var dw = Tensor(overwriting: [outputs, win.patch])
        dw.withUnsafeMutableBufferPointer { dp in sums.withUnsafeBufferPointer { sp in
            ParallelRows.forEach(outputs, rowLength: win.patch) { block in
                for o in block { for k in 0..<win.patch { dp[o * win.patch + k] = sp[k * outputs + o] } }
            }
        }}
        return dw
    }

    /// The least common multiple of two positive integers.
    static func lcm(_ a: Int, _ b: Int) -> Int {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return a / x * b
    }

    /// One image `[C, P]` of an NCHW tensor (C a multiple of 16) as C/16 panels `[P, 16]`, panel b
    /// at `dst + b·panelStride`: the layout `weightTile` reads, a tile's 16 channels adjacent for
    /// each pixel and its pixels one after another.
    static func pixelMajor(_ src: UnsafePointer<Float>, channels c: Int, pixels p: Int, into dst: UnsafeMutablePointer<Float>,
                           panelStride: Int) {
        let wholePixels = p / 8 * 8
        for ch in Swift.stride(from: 0, to: c, by: 8) {
            let panel = dst + ch / channels * panelStride + ch % channels
            for q in Swift.stride(from: 0, to: wholePixels, by: 8) {
                transpose8x8(src + ch * p + q, p) { j, column in
                    UnsafeMutableRawPointer(panel + (q + j) * channels).storeBytes(of: column, as: Vector.self)
                }
            }
            for q in wholePixels..<p { for l in 0..<8 { panel[q * channels + l] = src[(ch + l) * p + q] } }
        }
    }

    // MARK: Micro-kernels

    /// tile[r·ldt + l] = Σ_k x[b_r + offset[k]] · panel[k·16 + l] for six pixels r and 16 channels l.
    @inline(never)
    static func tile(_ x: UnsafePointer<Float>, _ b0: Int, _ b1: Int, _ b2: Int, _ b3: Int, _ b4: Int, _ b5: Int,
                     _ offset: UnsafePointer<Int>, _ panel: UnsafePointer<Float>, _ patch: Int,
                     _ tile: UnsafeMutablePointer<Float>, _ ldt: Int) {
        var sums = RegisterTile()
        let (p0, p1, p2, p3, p4, p5) = (x + b0, x + b1, x + b2, x + b3, x + b4, x + b5)
        var w = UnsafeRawPointer(panel)
        for k in 0..<patch {
            let o = offset[k]
            sums.add(p0[o], p1[o], p2[o], p3[o], p4[o], p5[o], times: w)
            w += 64
        }
        sums.store(tile, ldt)
    }

    /// tile[r·16 + l] += Σ_q x[base[q] + o_r] · g[16q + l] for six patch entries r and 16 channels l,
    /// g one panel of the pixel-major output gradient.
    @inline(never)
    static func weightTile(_ x: UnsafePointer<Float>, _ o0: Int, _ o1: Int, _ o2: Int, _ o3: Int, _ o4: Int, _ o5: Int,
                           _ base: UnsafePointer<Int>, _ count: Int, _ g: UnsafePointer<Float>,
                           _ tile: UnsafeMutablePointer<Float>) {
        var sums = RegisterTile(loading: tile)
        let (p0, p1, p2, p3, p4, p5) = (x + o0, x + o1, x + o2, x + o3, x + o4, x + o5)
        var row = UnsafeRawPointer(g)
        for q in 0..<count {
            let b = base[q]
            sums.add(p0[b], p1[b], p2[b], p3[b], p4[b], p5[b], times: row)
            row += 64
        }
        sums.store(tile, channels)
    }

    /// The 6 × 16 sums of a micro-kernel, twelve 8-wide vectors that stay in registers (AVX2 has
    /// sixteen: the other four hold the two row vectors and a broadcast).
    struct RegisterTile {
        var s00 = Vector(), s01 = Vector(), s10 = Vector(), s11 = Vector(), s20 = Vector(), s21 = Vector()
        var s30 = Vector(), s31 = Vector(), s40 = Vector(), s41 = Vector(), s50 = Vector(), s51 = Vector()

        init() {}

        /// Rows of 16 floats, one after another.
        @inline(__always) init(loading tile: UnsafePointer<Float>) {
            let t = UnsafeRawPointer(tile)
            @inline(__always) func at(_ i: Int) -> Vector { t.loadUnaligned(fromByteOffset: 32 * i, as: Vector.self) }
            (s00, s01, s10, s11, s20, s21) = (at(0), at(1), at(2), at(3), at(4), at(5))
            (s30, s31, s40, s41, s50, s51) = (at(6), at(7), at(8), at(9), at(10), at(11))
        }

        /// Row r += a_r · (16 floats at `row`): one fused multiply-add per vector.
        @inline(__always)
        mutating func add(_ a0: Float, _ a1: Float, _ a2: Float, _ a3: Float, _ a4: Float, _ a5: Float, times row: UnsafeRawPointer) {
            let w0 = row.loadUnaligned(as: Vector.self), w1 = row.loadUnaligned(fromByteOffset: 32, as: Vector.self)
            var v = Vector(repeating: a0)
            s00 = s00.addingProduct(v, w0); s01 = s01.addingProduct(v, w1)
            v = Vector(repeating: a1)
            s10 = s10.addingProduct(v, w0); s11 = s11.addingProduct(v, w1)
            v = Vector(repeating: a2)
            s20 = s20.addingProduct(v, w0); s21 = s21.addingProduct(v, w1)
            v = Vector(repeating: a3)
            s30 = s30.addingProduct(v, w0); s31 = s31.addingProduct(v, w1)
            v = Vector(repeating: a4)
            s40 = s40.addingProduct(v, w0); s41 = s41.addingProduct(v, w1)
            v = Vector(repeating: a5)
            s50 = s50.addingProduct(v, w0); s51 = s51.addingProduct(v, w1)
        }

        /// Row r (two vectors) at tile + r·ldt.
        @inline(__always) func store(_ tile: UnsafeMutablePointer<Float>, _ ldt: Int) {
            @inline(__always) func row(_ r: Int, _ a: Vector, _ b: Vector) {
                let p = UnsafeMutableRawPointer(tile + r * ldt)
                p.storeBytes(of: a, as: Vector.self)
                p.storeBytes(of: b, toByteOffset: 32, as: Vector.self)
            }
            row(0, s00, s01); row(1, s10, s11); row(2, s20, s21); row(3, s30, s31); row(4, s40, s41); row(5, s50, s51)
        }
    }
}
