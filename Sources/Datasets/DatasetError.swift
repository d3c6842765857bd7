/// Errors raised while fetching, importing, verifying or loading a dataset; each names the dataset
/// and says what the user can do about it.
public struct DatasetError: Error, CustomStringConvertible {
    public let dataset: String
    public let message: String
    public init(_ dataset: String, _ message: String) { self.dataset = dataset; self.message = message }
    public var description: String { "dataset \(dataset): \(message)" }
}
