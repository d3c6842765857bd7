/// A boundary compressor seen as a flat `Compressor` for the shape of the tensor it is sent, so
/// the engine's `ErrorFeedback` and `EF21` wrap boundary compressors as they wrap any other.
public struct ShapedCompressor: Compressor {
    public var inner: any BoundaryCompressor
    /// The shape of the next tensor; the boundary sets it before each message.
    public var shape: [Int] = []

    public init(_ inner: any BoundaryCompressor) { self.inner = inner }

    public mutating func compress(_ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>, rng: inout RNG) -> Int {
        inner.compress(input, shape: shape, into: output)
    }
}
