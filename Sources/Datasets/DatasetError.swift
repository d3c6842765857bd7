/// A failure while fetching, importing, verifying or loading a dataset. The message names the
/// dataset and the file or field at fault and says what the user can do about it.
public struct DatasetError: Error, CustomStringConvertible, Equatable {
    public enum Kind: Equatable, Sendable {
        case unknownDataset, missingRawFile, hashMismatch, malformedRawFile, network, cacheCorrupt, io
    }

    public let dataset: String
    public let kind: Kind
    public let message: String

    public init(_ dataset: String, _ kind: Kind, _ message: String) {
        self.dataset = dataset
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(dataset): \(message)" }
}
