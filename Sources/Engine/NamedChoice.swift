/// A configuration choice spelled by name: an optimizer method, a noise kind, a compressor.
/// Decoding a name that is not a case fails with the names that are, instead of Swift's "Cannot
/// initialize Method from invalid String value …", so a typo in a YAML file says how to fix it.
public protocol NamedChoice: RawRepresentable, CaseIterable, Decodable where RawValue == String {}

extension NamedChoice {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let name = try container.decode(String.self)
        guard let value = Self(rawValue: name) else {
            let valid = Self.allCases.map(\.rawValue).joined(separator: ", ")
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(name)' is not one of: \(valid)")
        }
        self = value
    }
}
