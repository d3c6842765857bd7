/// An optimizer's name in a YAML config: a registered optimizer (`adam`), or one composed with norm
/// clipping (prefix `clip-`) and the delayed step size (suffix `d`) where it takes them, as the
/// papers name their variants (`clip-adamd`, `adagrad-normd`). A name is resolved, against a
/// registry, when the spec builds its optimizer; one that resolves to none lists every name that does.
public struct OptimizerName: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
