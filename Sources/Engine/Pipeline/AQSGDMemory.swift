/// AQ-SGD's activation memory (Wang et al., arXiv:2206.01299, Alg. 1): for every training sample ξ
/// the sending and the receiving stage each keep m(ξ), the activation the receiver last
/// reconstructed for ξ.
///
/// Warm-up (the first epochs): the activation a(ξ) is sent in full and both sides set m(ξ) = a(ξ).
/// Afterwards the sender sends C(a(ξ) − m(ξ)), both sides add the decompressed message to m(ξ), and
/// the receiver passes its m(ξ) on. As the model converges a(ξ) changes little between visits, so the
/// compressed quantity shrinks. The two memories are updated by separate code, as two machines would,
/// and stay identical because every step is deterministic; the tests check that they do.
public struct AQSGDMemory {
    public let width: Int
    /// m(ξ) on the sending side, by sample id.
    public private(set) var sender: [Int: [Float]] = [:]
    /// m(ξ) on the receiving side, by sample id.
    public private(set) var receiver: [Int: [Float]] = [:]

    /// `width`: entries per sample of the activations this memory holds.
    public init(width: Int) { self.width = width }

    /// Both sides' m(ξ) as rows of 1 + `width` floats, the sample id first (exact in a float up to
    /// 2²⁴ samples), in id order: what a run's checkpoint saves.
    public var saved: (sender: [Float], receiver: [Float]) {
        func rows(_ memory: [Int: [Float]]) -> [Float] {
            precondition(memory.keys.allSatisfy { $0 < 1 << 24 }, "AQSGDMemory: sample ids above 2^24 do not fit a checkpoint row")
            return memory.keys.sorted().flatMap { [Float($0)] + memory[$0]! }
        }
        return (rows(sender), rows(receiver))
    }

    /// The memory `saved` wrote.
    public mutating func restore(sender savedSender: [Float], receiver savedReceiver: [Float]) throws {
        func memory(_ rows: [Float]) throws -> [Int: [Float]] {
            guard rows.count % (width + 1) == 0 else { throw PipelineConfigError("AQ-SGD memory of \(rows.count) floats is not rows of 1 + \(width)") }
            var result: [Int: [Float]] = [:]
            for start in stride(from: 0, to: rows.count, by: width + 1) { result[Int(rows[start])] = Array(rows[(start + 1)..<(start + 1 + width)]) }
            return result
        }
        (sender, receiver) = (try memory(savedSender), try memory(savedReceiver))
    }

    /// Warm-up: a(ξ) crosses in full (32 bits per entry) and becomes m(ξ) on both sides.
    public mutating func warmUp(_ x: Tensor, samples: [Int]) -> (received: Tensor, bits: Int) {
        checkShape(x, samples)
        x.withUnsafeBufferPointer { a in
            for (row, id) in samples.enumerated() {
                let values = Array(a[(row * width)..<((row + 1) * width)])
                sender[id] = values
                receiver[id] = values
            }
        }
        return (x, 32 * x.count)
    }

    /// After warm-up: sends C(a(ξ) − m(ξ)) per sample; returns the receiver's updated m(ξ) batch.
    /// A sample seen for the first time has m(ξ) = 0, as in AC-SGD without warm-up.
    public mutating func send(_ x: Tensor, samples: [Int], through compressor: inout any BoundaryCompressor) -> (received: Tensor, bits: Int) {
        checkShape(x, samples)
        var delta = Tensor(overwriting: x.shape), message = Tensor(overwriting: x.shape), received = Tensor(overwriting: x.shape)
        x.withUnsafeBufferPointer { a in delta.withUnsafeMutableBufferPointer { d in
            for (row, id) in samples.enumerated() {
                let base = row * width
                if let m = sender[id] {
                    for j in 0..<width { d[base + j] = a[base + j] - m[j] }
                } else {
                    for j in 0..<width { d[base + j] = a[base + j] }
                }
            }
        }}
        let bits = delta.withUnsafeBufferPointer { d in
            message.withUnsafeMutableBufferPointer { compressor.compress(d, shape: x.shape, into: $0) }
        }
        message.withUnsafeBufferPointer { c in
            received.withUnsafeMutableBufferPointer { out in
                for (row, id) in samples.enumerated() {
                    let part = UnsafeBufferPointer(rebasing: c[(row * width)..<((row + 1) * width)])
                    Self.add(part, to: &sender[id, default: [Float](repeating: 0, count: width)])
                    Self.add(part, to: &receiver[id, default: [Float](repeating: 0, count: width)])
                    receiver[id]!.withUnsafeBufferPointer { m in
                        (out.baseAddress! + row * width).update(from: m.baseAddress!, count: width)
                    }
                }
            }
        }
        return (received, bits)
    }

    private static func add(_ c: UnsafeBufferPointer<Float>, to m: inout [Float]) {
        m.withUnsafeMutableBufferPointer { mp in for j in 0..<mp.count { mp[j] += c[j] } }
    }

    private func checkShape(_ x: Tensor, _ samples: [Int]) {
        precondition(x.count == samples.count * width,
                     "AQ-SGD memory holds \(width) entries per sample; got \(x.shape) for \(samples.count) sample ids")
    }
}
