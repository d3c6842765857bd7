/// An 8 × 8 block of floats transposed in registers: `column(j, v)` receives v = (src[r·lds + j])_r,
/// column j of the block as a vector.
///
/// Moving a tile of pixel-major results into channel planes one float at a time (a strided load
/// and a store per value) took a seventh of a small ResNet's forward pass; eight vector loads,
/// three rounds of shuffles and eight vector stores move 64 values. The lane lists below are
/// the classic unpack (pairs of rows), shuffle (quadruples) and 128-bit-half exchange steps;
/// LLVM turns each into one or two shuffle instructions.
@inline(__always)
func transpose8x8(_ src: UnsafePointer<Float>, _ lds: Int, _ column: (Int, SIMD8<Float>) -> Void) {
    typealias V = SIMD8<Float>
    @inline(__always) func row(_ r: Int) -> V { UnsafeRawPointer(src + r * lds).loadUnaligned(as: V.self) }
    @inline(__always) func pairs(_ a: V, _ b: V) -> (V, V) {
        (V(a[0], b[0], a[1], b[1], a[4], b[4], a[5], b[5]), V(a[2], b[2], a[3], b[3], a[6], b[6], a[7], b[7]))
    }
    @inline(__always) func quads(_ a: V, _ b: V) -> (V, V) {
        (V(a[0], a[1], b[0], b[1], a[4], a[5], b[4], b[5]), V(a[2], a[3], b[2], b[3], a[6], a[7], b[6], b[7]))
    }
    let (a01, a23) = (pairs(row(0), row(1)), pairs(row(2), row(3)))
    let (a45, a67) = (pairs(row(4), row(5)), pairs(row(6), row(7)))
    // After `quads`, c_j holds column j of rows 0–3 in its low half and column j + 4 in its high half.
    let (c0, c1) = quads(a01.0, a23.0), (c2, c3) = quads(a01.1, a23.1)
    let (d0, d1) = quads(a45.0, a67.0), (d2, d3) = quads(a45.1, a67.1)
    column(0, V(lowHalf: c0.lowHalf, highHalf: d0.lowHalf)); column(4, V(lowHalf: c0.highHalf, highHalf: d0.highHalf))
    column(1, V(lowHalf: c1.lowHalf, highHalf: d1.lowHalf)); column(5, V(lowHalf: c1.highHalf, highHalf: d1.highHalf))
    column(2, V(lowHalf: c2.lowHalf, highHalf: d2.lowHalf)); column(6, V(lowHalf: c2.highHalf, highHalf: d2.highHalf))
    column(3, V(lowHalf: c3.lowHalf, highHalf: d3.lowHalf)); column(7, V(lowHalf: c3.highHalf, highHalf: d3.highHalf))
}
