import Foundation

/// Parses `user item` lines into per-user sequences and splits them leave-one-out.
///
/// Arrays (user u is row u − 1; item 0 means "none", as SASRec pads with 0):
/// `train.offsets` [U + 1] and `train.items` (CSR: user u's training items are
/// `train.items[offsets[u-1]..<offsets[u]]`, in time order), `validation.items` [U], `test.items` [U].
/// Attributes: `users` U (largest user id), `items` (largest item id), `interactions`.
public struct LeaveOneOutParser: DatasetParser {
    public init() {}

    public func parse(files: [String: URL], dataset: String) throws -> ParsedDataset {
        guard let url = files.values.first, files.count == 1 else {
            throw DatasetError(dataset, .missingRawFile, "expected one interactions file, got \(files.keys.sorted())")
        }
        let bytes: Data
        do { bytes = try Data(contentsOf: url) } catch {
            throw DatasetError(dataset, .io, "cannot read \(url.path): \(error.localizedDescription)")
        }
        let (users, items) = try bytes.withUnsafeBytes {
            try Self.readPairs($0.bindMemory(to: UInt8.self), file: url.lastPathComponent, dataset: dataset)
        }
        return split(users: users, items: items)
    }

    /// Reads "user item" lines of decimal ids ≥ 1, separated by spaces or tabs.
    static func readPairs(_ text: UnsafeBufferPointer<UInt8>, file: String, dataset: String) throws -> (users: [Int32], items: [Int32]) {
        var users: [Int32] = [], items: [Int32] = []
        var line = 1, i = 0
        let n = text.count
        func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D }
        func number(_ field: String) throws -> Int32 {
            while i < n, isBlank(text[i]) { i += 1 }
            var value = 0, digits = 0
            while i < n, text[i] >= 0x30, text[i] <= 0x39, digits < 10 {
                value = value * 10 + Int(text[i] - 0x30); i += 1; digits += 1
            }
            guard digits > 0, value >= 1, value <= Int(Int32.max) else {
                throw DatasetError(dataset, .malformedRawFile,
                                   "\(file) line \(line): the \(field) id is missing or not a positive integer; each line must be `user item`")
            }
            return Int32(value)
        }
        while i < n {
            var j = i
            while j < n, isBlank(text[j]) { j += 1 }
            if j < n, text[j] == 0x0A { i = j + 1; line += 1; continue }
            if j == n { break }
            users.append(try number("user"))
            items.append(try number("item"))
            while i < n, isBlank(text[i]) { i += 1 }
            guard i == n || text[i] == 0x0A else {
                throw DatasetError(dataset, .malformedRawFile, "\(file) line \(line): extra text after `user item`")
            }
            i += 1; line += 1
        }
        return (users, items)
    }

    /// Groups interactions by user, keeping each user's order of appearance (time order in the
    /// file), and holds out the last two of every user with at least three.
    public func split(users: [Int32], items: [Int32]) -> ParsedDataset {
        let userCount = Int(users.max() ?? 0), itemCount = Int(items.max() ?? 0)
        var start = [Int](repeating: 0, count: userCount + 1)
        for u in users { start[Int(u)] += 1 }
        var total = 0
        for u in 0...userCount { let c = start[u]; start[u] = total; total += c }
        var sequences = [Int32](repeating: 0, count: users.count)
        var cursor = start
        for k in 0..<users.count {
            let u = Int(users[k])
            sequences[cursor[u]] = items[k]
            cursor[u] += 1
        }
        var offsets = [Int32](repeating: 0, count: userCount + 1)
        var trainItems: [Int32] = []
        trainItems.reserveCapacity(users.count)
        var validation = [Int32](repeating: 0, count: userCount)
        var test = [Int32](repeating: 0, count: userCount)
        for u in stride(from: 1, through: userCount, by: 1) {
            let lo = start[u], hi = u < userCount ? start[u + 1] : users.count
            let length = hi - lo
            let trainEnd = length >= 3 ? hi - 2 : hi
            trainItems.append(contentsOf: sequences[lo..<trainEnd])
            if length >= 3 {
                validation[u - 1] = sequences[hi - 2]
                test[u - 1] = sequences[hi - 1]
            }
            offsets[u] = Int32(trainItems.count)
        }
        return ParsedDataset(
            arrays: [
                DatasetArray(name: "train.offsets", shape: [userCount + 1], .int32(offsets)),
                DatasetArray(name: "train.items", shape: [trainItems.count], .int32(trainItems)),
                DatasetArray(name: "validation.items", shape: [userCount], .int32(validation)),
                DatasetArray(name: "test.items", shape: [userCount], .int32(test)),
            ],
            attributes: ["users": userCount, "items": itemCount, "interactions": users.count])
    }
}
