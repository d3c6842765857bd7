import Engine

/// A dataset ready for an experiment, with where it came from. `isSample` is true when the full data
/// was not available and the small sample shipped in the repository's `datasets/` folder stands in;
/// experiments must say so in their output (`provenance` is a sentence for that).
public struct LoadedDataset {
    public let name: String
    public let data: ParsedDataset
    public let isSample: Bool
    public let provenance: String

    public var attributes: [String: Int] { data.attributes }
    public var arrayNames: [String] { data.arrays.map(\.name) }

    public func array(_ arrayName: String) throws -> DatasetArray {
        guard let a = data[arrayName] else {
            throw DatasetError(name, .malformedRawFile,
                               "no array named '\(arrayName)'; it has \(arrayNames.joined(separator: ", "))")
        }
        return a
    }

    /// The named array as a float32 tensor, scaled (e.g. 1/255 for pixels).
    public func tensor(_ arrayName: String, scale: Float = 1) throws -> Tensor {
        try array(arrayName).tensor(scale: scale)
    }
}
