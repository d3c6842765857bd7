import Datasets
import Engine
import Suite

/// Users' item sequences split leave-one-out (the dataset's `train.*`, `validation.items`,
/// `test.items`), and the batches the recommenders train and are evaluated on.
public struct InteractionSequences: Sendable {
    public enum Split: Sendable { case validation, test }

    public let items: Int
    public let users: Int
    /// User u's training items (u from 0) are `trainItems[trainOffsets[u]..<trainOffsets[u + 1]]`.
    public let trainOffsets: [Int]
    public let trainItems: [Int]
    /// Held-out items per user; 0 where the user has fewer than three interactions.
    public let validation: [Int]
    public let test: [Int]
    public let provenance: String

    public init(_ choice: DataChoice) throws {
        let cache = DatasetCache(root: DatasetCache.defaultRoot) { _ in }
        let name = AmazonVideoGames.spec.name
        let dataset = choice == .sample ? try cache.loadSample(name) : try cache.load(name, allowSample: false)
        try self.init(offsets: try dataset.array("train.offsets").integers, items: try dataset.array("train.items").integers,
                      validation: try dataset.array("validation.items").integers, test: try dataset.array("test.items").integers,
                      itemCount: dataset.attributes["items"] ?? 0, provenance: dataset.provenance)
    }

    /// From the parser's arrays (`offsets` has one more entry than there are users).
    public init(offsets: [Int], items: [Int], validation: [Int], test: [Int], itemCount: Int, provenance: String) throws {
        let users = validation.count
        guard offsets.count == users + 1, test.count == users, offsets.first == 0, offsets.last == items.count,
              zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw SuiteError("amazon-video-games: the interaction arrays of \(provenance) are inconsistent (offsets \(offsets.count), users \(users)); rebuild the cache with `repro datasets verify`")
        }
        guard itemCount >= 2, (items + validation + test).allSatisfy({ (0...itemCount).contains($0) }) else {
            throw SuiteError("amazon-video-games: \(provenance) has item ids outside 1...\(itemCount)")
        }
        self.items = itemCount
        self.users = users
        trainOffsets = offsets
        trainItems = items
        self.validation = validation
        self.test = test
        self.provenance = provenance
    }

    public func history(_ user: Int) -> ArraySlice<Int> { trainItems[trainOffsets[user]..<trainOffsets[user + 1]] }

    /// Users with a held-out item in `split`.
    public func evaluatedUsers(_ split: Split) -> [Int] {
        let targets = split == .validation ? validation : test
        return (0..<users).filter { targets[$0] != 0 }
    }

    /// What the model reads to predict `split`'s item: the training items (for the test item also
    /// the validation item), the last `maxLength` of them, oldest first.
    public func input(_ user: Int, _ split: Split, maxLength: Int) -> ArraySlice<Int> {
        var seen = Array(history(user))
        if split == .test, validation[user] != 0 { seen.append(validation[user]) }
        return seen.suffix(maxLength)
    }

    public func target(_ user: Int, _ split: Split) -> Int { split == .validation ? validation[user] : test[user] }

    /// Training windows: a user's training items i₀…i_{n−1} give inputs i₀…i_{n−2} and targets
    /// i₁…i_{n−1}, every position at once (a causal model predicts each next item from the items
    /// before it: the same (prefix, next item) pairs as RecBole's prefix augmentation, in one pass).
    /// Histories longer than `maxLength` + 1 are cut into windows of `maxLength` inputs that overlap
    /// by half: a window counts only the targets the previous one did not, so every target is
    /// predicted once, from at least `maxLength`/2 preceding items (RecBole: from the last `maxLength`).
    public func trainingWindows(maxLength: Int) -> [Window] {
        var windows: [Window] = []
        let fresh = max(1, maxLength / 2)
        for user in 0..<users {
            let seq = history(user)
            let n = seq.count
            guard n >= 2 else { continue }
            // Targets are positions 1..<n of the history; window w counts targets (counted, end].
            var counted = 0
            while counted < n - 1 {
                let end = counted == 0 ? min(n - 1, maxLength) : min(n - 1, counted + fresh)
                let start = max(0, end - maxLength)
                let inputs = Array(seq[(seq.startIndex + start)..<(seq.startIndex + end)])
                let targets = (start..<end).map { p in p + 1 > counted ? seq[seq.startIndex + p + 1] : -1 }
                windows.append(Window(inputs: inputs, targets: targets))
                counted = end
            }
        }
        return windows
    }

    /// RecBole's prefix augmentation: one sample per training target i_p (p ≥ 1) of every user,
    /// reading the last `maxLength` items before it, with only its last position counted.
    public func trainingPrefixes(maxLength: Int) -> [Window] {
        var prefixes: [Window] = []
        for user in 0..<users {
            let seq = history(user)
            for p in 1..<max(1, seq.count) {
                let start = max(0, p - maxLength)
                var targets = [Int](repeating: -1, count: p - start)
                targets[targets.count - 1] = seq[seq.startIndex + p]
                prefixes.append(Window(inputs: Array(seq[(seq.startIndex + start)..<(seq.startIndex + p)]), targets: targets))
            }
        }
        return prefixes
    }

    public struct Window: Sendable, Equatable {
        public var inputs: [Int]
        /// The next item after each input; −1 where the position is not counted.
        public var targets: [Int]

        public init(inputs: [Int], targets: [Int]) {
            self.inputs = inputs
            self.targets = targets
        }
    }

    /// Interactions per item in the training histories (index 0 unused): the popularity ranking.
    public func itemCounts() -> [Float] {
        var counts = [Float](repeating: 0, count: items + 1)
        for item in trainItems { counts[item] += 1 }
        return counts
    }
}

/// Sequences right-padded with 0 into one `[rows, length]` id matrix (RecBole's layout).
public struct PaddedBatch {
    public let ids: [Int]
    public let rows: Int
    public let length: Int

    public init(_ sequences: [ArraySlice<Int>]) {
        rows = sequences.count
        length = max(1, sequences.map(\.count).max() ?? 1)
        var ids = [Int](repeating: 0, count: rows * length)
        for (r, s) in sequences.enumerated() {
            for (t, item) in s.enumerated() { ids[r * length + t] = item }
        }
        self.ids = ids
    }
}
