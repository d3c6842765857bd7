/// An optimizer's name in a YAML config: a registered optimizer (`adam`), or one composed with norm
/// clipping (prefix `clip-`) and the delayed step size (suffix `d`) where it takes them, as the
/// papers name their variants (`clip-adamd`, `adagrad-normd`). Decoding a name that resolves to no
/// optimizer lists every name that does.
public struct OptimizerName: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let name = OptimizerName(rawValue: try container.decode(String.self))
        guard (try? OptimizerRegistry.standard.resolve(name)) != nil else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(name)' is not one of: \(OptimizerRegistry.standard.names.map(\.rawValue).joined(separator: ", "))")
        }
        self = name
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
