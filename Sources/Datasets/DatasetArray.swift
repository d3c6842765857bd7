import Engine

/// Element types a cached array may hold. Raw pixels and token ids stay integers on disk; a
/// `Tensor` (always float32) is made from them on demand.
public enum DType: String, Codable, Sendable {
    case uint8, int32, float32

    public var byteWidth: Int {
        switch self {
        case .uint8: return 1
        case .int32, .float32: return 4
        }
    }
}

/// One named array of a parsed dataset, e.g. `train.images` [60000, 28, 28] uint8.
public struct DatasetArray {
    public enum Storage {
        case uint8([UInt8])
        case int32([Int32])
        case float32([Float])
    }

    public let name: String
    public let shape: [Int]
    public private(set) var storage: Storage

    public init(name: String, shape: [Int], _ storage: Storage) {
        self.name = name
        self.shape = shape
        self.storage = storage
        precondition(elementCount == shape.reduce(1, *),
                     "DatasetArray \(name): shape \(shape) needs \(shape.reduce(1, *)) elements, got \(elementCount)")
    }

    /// A zero-filled array, the destination a cache load decompresses into.
    init(name: String, shape: [Int], dtype: DType) {
        let n = shape.reduce(1, *)
        switch dtype {
        case .uint8: self.init(name: name, shape: shape, .uint8([UInt8](repeating: 0, count: n)))
        case .int32: self.init(name: name, shape: shape, .int32([Int32](repeating: 0, count: n)))
        case .float32: self.init(name: name, shape: shape, .float32([Float](repeating: 0, count: n)))
        }
    }

    public var dtype: DType {
        switch storage {
        case .uint8: return .uint8
        case .int32: return .int32
        case .float32: return .float32
        }
    }

    public var elementCount: Int {
        switch storage {
        case .uint8(let a): return a.count
        case .int32(let a): return a.count
        case .float32(let a): return a.count
        }
    }

    public var byteCount: Int { elementCount * dtype.byteWidth }

    /// The elements as a float32 tensor of the same shape, each multiplied by `scale` (e.g. 1/255
    /// for pixels). Integer ids up to 2^24 convert exactly.
    public func tensor(scale: Float = 1) -> Tensor {
        var t = Tensor(zeros: shape)
        t.withUnsafeMutableBufferPointer { out in
            switch storage {
            case .uint8(let a): a.withUnsafeBufferPointer { for i in 0..<$0.count { out[i] = Float($0[i]) * scale } }
            case .int32(let a): a.withUnsafeBufferPointer { for i in 0..<$0.count { out[i] = Float($0[i]) * scale } }
            case .float32(let a): a.withUnsafeBufferPointer { for i in 0..<$0.count { out[i] = $0[i] * scale } }
            }
        }
        return t
    }

    /// The elements as integers (ids, labels, offsets); float arrays are truncated toward zero.
    public var integers: [Int] {
        switch storage {
        case .uint8(let a): return a.map(Int.init)
        case .int32(let a): return a.map(Int.init)
        case .float32(let a): return a.map { Int($0) }
        }
    }

    /// The array's little-endian bytes, as the cache payload stores them.
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch storage {
        case .uint8(let a): return try a.withUnsafeBytes(body)
        case .int32(let a): return try a.withUnsafeBytes(body)
        case .float32(let a): return try a.withUnsafeBytes(body)
        }
    }

    mutating func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        switch storage {
        case .uint8(var a):
            storage = .uint8([])
            defer { storage = .uint8(a) }
            return try a.withUnsafeMutableBytes(body)
        case .int32(var a):
            storage = .int32([])
            defer { storage = .int32(a) }
            return try a.withUnsafeMutableBytes(body)
        case .float32(var a):
            storage = .float32([])
            defer { storage = .float32(a) }
            return try a.withUnsafeMutableBytes(body)
        }
    }
}
