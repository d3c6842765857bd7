/// The identity: the tensor crosses the boundary as float32, 32 bits per entry.
public struct NoCompression: BoundaryCompressor {
    public init() {}

    public mutating func compress(_ x: UnsafeBufferPointer<Float>, shape: [Int], into output: UnsafeMutableBufferPointer<Float>) -> Int {
        output.baseAddress!.update(from: x.baseAddress!, count: x.count)
        return 32 * x.count
    }
}
