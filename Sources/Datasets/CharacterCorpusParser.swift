import Foundation

/// Character-level language-modelling preprocessing as in char-rnn and nanoGPT: the vocabulary is
/// the set of characters (Unicode scalars) in the text sorted by code point, every character
/// becomes its index, and the last `validationFraction` of the characters are the validation split.
///
/// Arrays: `vocabulary` [V] (Unicode code points, sorted), `train.ids` and `validation.ids`
/// (int32 indices into the vocabulary). Attributes: `vocabularySize`, `characters`.
public struct CharacterCorpusParser: DatasetParser {
    public let validationFraction: Double

    public init(validationFraction: Double = 0.1) { self.validationFraction = validationFraction }

    public func parse(files: [String: URL], dataset: String) throws -> ParsedDataset {
        guard let url = files.values.first, files.count == 1 else {
            throw DatasetError(dataset, .missingRawFile, "expected one text file, got \(files.keys.sorted())")
        }
        let bytes: Data
        do { bytes = try Data(contentsOf: url) } catch {
            throw DatasetError(dataset, .io, "cannot read \(url.path): \(error.localizedDescription)")
        }
        guard let text = String(data: bytes, encoding: .utf8) else {
            throw DatasetError(dataset, .malformedRawFile, "\(url.lastPathComponent) is not UTF-8 text")
        }
        return try parse(text: text, dataset: dataset)
    }

    public func parse(text: String, dataset: String) throws -> ParsedDataset {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count >= 2 else {
            throw DatasetError(dataset, .malformedRawFile, "the text has \(scalars.count) characters; need at least 2 to split")
        }
        let vocabulary = Set(scalars.map(\.value)).sorted()
        var index: [UInt32: Int32] = [:]
        for (i, v) in vocabulary.enumerated() { index[v] = Int32(i) }
        var ids = [Int32](repeating: 0, count: scalars.count)
        for i in 0..<scalars.count { ids[i] = index[scalars[i].value]! }
        // At least one character on each side, so a tiny sample still has both splits.
        let trainCount = min(max(Int(Double(ids.count) * (1 - validationFraction)), 1), ids.count - 1)
        return ParsedDataset(
            arrays: [
                DatasetArray(name: "vocabulary", shape: [vocabulary.count], .int32(vocabulary.map { Int32($0) })),
                DatasetArray(name: "train.ids", shape: [trainCount], .int32(Array(ids[..<trainCount]))),
                DatasetArray(name: "validation.ids", shape: [ids.count - trainCount], .int32(Array(ids[trainCount...]))),
            ],
            attributes: ["vocabularySize": vocabulary.count, "characters": ids.count])
    }
}
