/// How `BLAS.gemm` cuts one product C[m×n] = op(A)·op(B) into independent pieces, each computed by
/// single-threaded OpenBLAS on its own thread.
///
/// The cut depends on the shape alone, never on the thread count: a piece is a block of C's rows
/// (or columns) with the whole inner dimension k, so every entry of C is summed by the same kernel
/// in the same order however many threads share the pieces. OpenBLAS's own threading does not give
/// that: with k between its block size and twice it (e.g. k = 784) it blocks k differently for one
/// and for several threads, and results differ in the last bits.
///
/// Pieces are cut along the longer of m and n, in powers of two up to `maximumPieces`, while each
/// keeps at least `minimumExtent` rows or columns and `minimumWork` multiply-adds. Every piece packs
/// the other operand again, so the extent floor keeps that repacking small next to the piece's work,
/// and the work floor keeps small products (attention heads, an MLP's last layer) in one call.
struct GEMMPartition {
    static let maximumPieces = 4
    static let minimumExtent = 128
    static let minimumWork = 1 << 20

    /// Whether the pieces are blocks of rows of C (else blocks of columns).
    let alongRows: Bool
    /// Rows or columns per piece (the last piece may have fewer).
    let size: Int
    let pieces: Int

    init(m: Int, n: Int, k: Int) {
        alongRows = m >= n
        let extent = alongRows ? m : n, work = m * n * k
        var pieces = 1
        while pieces < Self.maximumPieces && extent / (2 * pieces) >= Self.minimumExtent
                && work / (2 * pieces) >= Self.minimumWork {
            pieces *= 2
        }
        // Rounded to whole 16-wide vector tiles so that no piece ends in a partial kernel tile but the last.
        size = pieces == 1 ? extent : ((extent + pieces - 1) / pieces + 15) / 16 * 16
        self.pieces = (extent + size - 1) / size
    }

    /// The rows or columns of piece `i`.
    func range(_ i: Int, extent: Int) -> Range<Int> { (i * size)..<Swift.min(extent, (i + 1) * size) }
}
