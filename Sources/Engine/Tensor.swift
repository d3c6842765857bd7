/// Heap storage shared by tensors until one of them writes (copy-on-write).
public final class TensorStorage {
    public let pointer: UnsafeMutablePointer<Float>
    public let capacity: Int
    /// The meter that was active when this storage was allocated (see `MemoryMeter`).
    private let meter: MemoryMeter?

    /// Memory is zero-filled unless the caller is a kernel that writes every element before any read.
    /// Large buffers are filled on every engine thread: a gradient buffer of a network's first
    /// layer (megabytes) filled on one thread left the others waiting.
    init(capacity: Int, zeroed: Bool = true) {
        self.capacity = capacity
        let pointer = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(capacity, 1))
        if zeroed {
            ParallelRows.forEach(capacity, rowLength: 1) { block in
                (pointer + block.lowerBound).initialize(repeating: 0, count: block.count)
            }
        }
        self.pointer = pointer
        meter = MemoryMeter.current
        meter?.allocated(capacity * MemoryLayout<Float>.stride)
    }

    deinit {
        meter?.freed(capacity * MemoryLayout<Float>.stride)
        pointer.deallocate()
    }
}

/// A float32, contiguous, row-major tensor with value semantics.
///
/// A tensor may be a window (`offset`, `count`) into a larger storage, which is how a model's
/// parameters are named views into one flat buffer. Writing through a shared window copies it first.
public struct Tensor {
    public private(set) var shape: [Int]
    public private(set) var count: Int
    @usableFromInline var storage: TensorStorage
    @usableFromInline var offset: Int

    /// A zero-filled tensor.
    public init(zeros shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor shape \(shape) has a negative dimension")
        self.shape = shape
        count = shape.reduce(1, *)
        storage = TensorStorage(capacity: count)
        offset = 0
    }

    /// A tensor whose elements the caller must all write before reading any (output buffers of
    /// GEMMs and elementwise kernels); skips the zero-fill, which is a measurable share of a step.
    @usableFromInline init(overwriting shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor shape \(shape) has a negative dimension")
        self.shape = shape
        count = shape.reduce(1, *)
        storage = TensorStorage(capacity: count, zeroed: false)
        offset = 0
    }

    public init(shape: [Int], repeating value: Float) {
        self.init(zeros: shape)
        if value != 0 { storage.pointer.update(repeating: value, count: count) }
    }

    public init(shape: [Int], _ values: [Float]) {
        precondition(values.count == shape.reduce(1, *),
                     "Tensor(shape: \(shape)) needs \(shape.reduce(1, *)) values, got \(values.count)")
        self.init(zeros: shape)
        values.withUnsafeBufferPointer { storage.pointer.update(from: $0.baseAddress!, count: count) }
    }

    public init(scalar: Float) { self.init(shape: [], [scalar]) }

    /// A window onto existing storage; used for named parameter views.
    init(storage: TensorStorage, offset: Int, shape: [Int]) {
        self.storage = storage
        self.offset = offset
        self.shape = shape
        count = shape.reduce(1, *)
        precondition(offset + count <= storage.capacity)
    }

    public var rank: Int { shape.count }

    /// Row-major strides in elements.
    public var strides: [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) { s[i] = acc; acc *= shape[i] }
        return s
    }

    public var scalars: [Float] { withUnsafeBufferPointer { Array($0) } }

    /// The value of a one-element tensor.
    public var item: Float {
        precondition(count == 1, "item needs a one-element tensor, shape is \(shape)")
        return storage.pointer[offset]
    }

    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.pointer + offset, count: count))
    }

    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) { makeUnique() }
        return try body(UnsafeMutableBufferPointer(start: storage.pointer + offset, count: count))
    }

    @usableFromInline
    mutating func makeUnique() {
        let fresh = TensorStorage(capacity: count)
        fresh.pointer.update(from: storage.pointer + offset, count: count)
        storage = fresh
        offset = 0
    }

    public subscript(flat index: Int) -> Float {
        get {
            precondition(index >= 0 && index < count, "flat index \(index) out of range 0..<\(count)")
            return storage.pointer[offset + index]
        }
        set {
            precondition(index >= 0 && index < count, "flat index \(index) out of range 0..<\(count)")
            withUnsafeMutableBufferPointer { $0[index] = newValue }
        }
    }

    public subscript(indices: Int...) -> Float {
        get { self[flat: flatIndex(indices)] }
        set { self[flat: flatIndex(indices)] = newValue }
    }

    func flatIndex(_ indices: [Int]) -> Int {
        precondition(indices.count == shape.count, "\(indices.count) indices for a rank-\(shape.count) tensor")
        var flat = 0
        for (i, n) in Swift.zip(indices, shape) {
            precondition(i >= 0 && i < n, "index \(indices) out of range for shape \(shape)")
            flat = flat * n + i
        }
        return flat
    }

    /// Same data, new shape; `-1` infers one dimension. Shares storage (no copy).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var dims = newShape
        if let inferred = dims.firstIndex(of: -1) {
            let known = dims.enumerated().filter { $0.offset != inferred }.map(\.element).reduce(1, *)
            precondition(known > 0 && count % known == 0, "cannot reshape \(shape) to \(newShape)")
            dims[inferred] = count / known
        }
        precondition(dims.reduce(1, *) == count, "cannot reshape \(shape) (\(count) elements) to \(newShape)")
        return Tensor(storage: storage, offset: offset, shape: dims)
    }
}

extension Tensor: Equatable {
    /// Exact equality of shape and every value (the determinism tests rely on bit-equality).
    public static func == (a: Tensor, b: Tensor) -> Bool {
        guard a.shape == b.shape else { return false }
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                for i in 0..<pa.count where pa[i].bitPattern != pb[i].bitPattern { return false }
                return true
            }
        }
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let shown = count <= 16 ? scalars.map { "\($0)" }.joined(separator: ", ")
            : scalars.prefix(8).map { "\($0)" }.joined(separator: ", ") + ", …"
        return "Tensor(\(shape)) [\(shown)]"
    }
}

extension Optional where Wrapped == Tensor {
    /// The tensor's elements, or nil for none: for kernels with an optional operand (a bias, a mask).
    func withUnsafePointer<R>(_ body: (UnsafePointer<Float>?) throws -> R) rethrows -> R {
        guard let tensor = self else { return try body(nil) }
        return try tensor.withUnsafeBufferPointer { try body($0.baseAddress) }
    }

    /// The tensor's elements to write, or nil for none: for kernels with an optional result.
    mutating func withUnsafeMutablePointer<R>(_ body: (UnsafeMutablePointer<Float>?) throws -> R) rethrows -> R {
        guard self != nil else { return try body(nil) }
        return try self!.withUnsafeMutableBufferPointer { try body($0.baseAddress) }
    }
}
