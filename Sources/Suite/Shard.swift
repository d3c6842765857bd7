/// `--shard i/n`: the runs whose position in the sweep's canonical order (sorted by key) is ≡ i−1
/// mod n. Every machine computes the same order, so n machines sharing a results folder split a
/// sweep into disjoint parts that together cover it.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    public static let all = Shard(index: 1, count: 1)

    public init(index: Int, count: Int) {
        precondition(count >= 1 && (1...count).contains(index), "shard \(index)/\(count) needs 1 ≤ i ≤ n")
        self.index = index
        self.count = count
    }

    /// Parses "i/n"; the error says what is expected.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(i) else {
            throw SuiteError("--shard expects i/n with 1 ≤ i ≤ n (e.g. 2/4), got '\(text)'")
        }
        self.init(index: i, count: n)
    }

    public func select(_ runs: [RunConfig]) -> [RunConfig] {
        let ordered = runs.map { ($0.key, $0) }.sorted { $0.0 < $1.0 }.map(\.1)
        return ordered.enumerated().filter { $0.offset % count == index - 1 }.map(\.element)
    }

    public var description: String { "\(index)/\(count)" }
}
