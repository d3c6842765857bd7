import Foundation

/// One update rule x_{t+1} = U(x_t, g_t, state) over a model's flat parameter vector.
///
/// `step` reads `parameters.grads` (the stochastic gradient g_t at x_t) and writes
/// `parameters.values` in place. State (moments, accumulators) is kept as flat tensors allocated on
/// the first step, so a step allocates nothing.
///
/// Codable: an optimizer's encoding is its whole state (step counts, moments, accumulators) bit for
/// bit, which is what a run's checkpoint saves so that a resumed run continues exactly.
public protocol Optimizer: Codable {
    /// γ, the base step size; schedules change it between steps.
    var learningRate: Float { get set }
    mutating func step(_ parameters: ParameterStore)
}

extension Optimizer {
    /// The optimizer's state, bit for bit (`restored(from:)` reads it back).
    public func encodedState() throws -> Data {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .asText
        return try encoder.encode(self)
    }

    /// An optimizer of this type in the state `encodedState()` saved.
    public func restored(from data: Data) throws -> Self {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .asText
        return try decoder.decode(Self.self, from: data)
    }
}

extension ParameterStore {
    /// x and g as raw buffers for one optimizer pass (both of length `count`).
    @inlinable
    public func withValuesAndGrads<R>(
        _ body: (_ x: UnsafeMutableBufferPointer<Float>, _ g: UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        try values.withUnsafeMutableBufferPointer { x in try grads.withUnsafeMutableBufferPointer { g in try body(x, g) } }
    }
}

/// Lazily sized optimizer state: a flat vector the size of the parameters, zero at t = 0.
@usableFromInline
struct StateVector: Codable {
    @usableFromInline var tensor = Tensor(zeros: [0])

    @usableFromInline init() {}

    @inlinable
    mutating func withBuffer<R>(count: Int, _ body: (UnsafeMutableBufferPointer<Float>) -> R) -> R {
        if tensor.count != count { tensor = Tensor(zeros: [count]) }
        return tensor.withUnsafeMutableBufferPointer(body)
    }

    /// Encoded as its raw floats (base64), so the state reads back bit for bit.
    @usableFromInline init(from decoder: any Decoder) throws {
        let bytes = try decoder.singleValueContainer().decode(Data.self)
        guard bytes.count % MemoryLayout<Float>.size == 0 else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(bytes.count) bytes are not whole floats"))
        }
        tensor = Tensor(zeros: [bytes.count / MemoryLayout<Float>.size])
        tensor.withUnsafeMutableBufferPointer { buffer in _ = bytes.copyBytes(to: buffer) }
    }

    @usableFromInline func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(tensor.withUnsafeBufferPointer { Data(buffer: $0) })
    }
}
