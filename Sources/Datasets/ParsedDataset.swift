/// What a parser makes of a dataset's raw files: named arrays in a fixed order, plus integer facts
/// about them (vocabulary size, number of users) that experiments need without scanning arrays.
public struct ParsedDataset {
    public var arrays: [DatasetArray]
    public var attributes: [String: Int]

    public init(arrays: [DatasetArray], attributes: [String: Int] = [:]) {
        self.arrays = arrays
        self.attributes = attributes
    }

    public subscript(name: String) -> DatasetArray? { arrays.first { $0.name == name } }
}
