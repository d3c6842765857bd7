/// A compressor for the tensor that crosses a pipeline-stage boundary: a batch whose first axis is
/// the sample (an activation on the way forward, its gradient on the way back).
///
/// Unlike `Compressor`, which sees a flat vector, a boundary compressor sees the batch's shape,
/// because the schemes of the model-parallel literature are per sample (TopK keeps K of each
/// sample's entries) or per channel (AC-SGD's quantizer has one scale per feature).
public protocol BoundaryCompressor {
    /// Writes the receiver's reconstruction C(x) into `output` (same shape) and returns the size of
    /// the message in bits.
    mutating func compress(_ x: UnsafeBufferPointer<Float>, shape: [Int], into output: UnsafeMutableBufferPointer<Float>) -> Int

    /// For a sparsifier: zeroes the entries of `gradient` that the last `compress` dropped, i.e. the
    /// gradient through the mask itself ("shared" backward mask); returns false if it has no mask.
    func applyLastMask(to gradient: UnsafeMutableBufferPointer<Float>) -> Bool
}

extension BoundaryCompressor {
    public func applyLastMask(to gradient: UnsafeMutableBufferPointer<Float>) -> Bool { false }
}

/// One direction's compression as a config names it: `{kind: topk, k: 0.1}`, `{kind: quantization,
/// bits: 4}`, `{kind: fixpoint, bits: 4}` or `{kind: none}`.
public struct BoundaryCompression: Codable, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Codable, Sendable, CaseIterable, NamedChoice {
        /// Sent as float32.
        case none
        /// `PerSampleTopK` with fraction `k`.
        case topk
        /// `MinMaxQuantization` with `bits`.
        case quantization
        /// `FixpointQuantization` (AC-SGD's) with `bits`.
        case fixpoint
    }

    public var kind: Kind
    public var k: Double?
    public var bits: Int?

    public init(kind: Kind, k: Double? = nil, bits: Int? = nil) {
        self.kind = kind
        self.k = k
        self.bits = bits
    }

    public static let none = BoundaryCompression(kind: .none)
    public static func topK(_ k: Double) -> BoundaryCompression { .init(kind: .topk, k: k) }
    public static func quantization(bits: Int) -> BoundaryCompression { .init(kind: .quantization, bits: bits) }
    public static func fixpoint(bits: Int) -> BoundaryCompression { .init(kind: .fixpoint, bits: bits) }

    public var isIdentity: Bool { kind == .none }

    /// "Top10%", "Q4", "FP4" or "none".
    public var description: String {
        switch kind {
        case .none: return "none"
        case .topk: return "Top\(Self.percent(k ?? 0))%"
        case .quantization: return "Q\(bits ?? 0)"
        case .fixpoint: return "FP\(bits ?? 0)"
        }
    }

    static func percent(_ k: Double) -> String {
        let p = k * 100
        return p == p.rounded() ? String(Int(p)) : String(p)
    }

    /// Checks the parameters the kind needs; the message names the allowed range.
    public func validate() throws {
        switch kind {
        case .none: break
        case .topk:
            guard let fraction = k, fraction > 0, fraction <= 1 else {
                throw PipelineConfigError("topk needs k in (0, 1], got \(k.map { String($0) } ?? "nothing")")
            }
        case .quantization, .fixpoint:
            guard let b = bits, (1...16).contains(b) else {
                throw PipelineConfigError("\(kind.rawValue) needs bits in 1…16, got \(bits.map { String($0) } ?? "nothing")")
            }
        }
    }

    public func make() throws -> any BoundaryCompressor {
        try validate()
        switch kind {
        case .none: return NoCompression()
        case .topk: return PerSampleTopK(fraction: k!)
        case .quantization: return MinMaxQuantization(bits: bits!)
        case .fixpoint: return FixpointQuantization(bits: bits!)
        }
    }
}

/// A pipeline setting that cannot work, with what is allowed.
public struct PipelineConfigError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
