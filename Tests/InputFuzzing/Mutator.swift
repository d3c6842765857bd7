import Engine

/// Seeded damage to a file, of the kinds a hand edit, a full disk or a bad copy produce. Every
/// mutation is drawn from the generator it is given, so a case is replayed from its seed.
public struct Mutator {
    public enum Kind: String, CaseIterable, Sendable {
        case truncate, flipBytes, deleteLine, duplicateLine, swapType, hugeNumber, negativeNumber, nonFinite
        /// Overwrites a few bytes of a binary header (magic numbers, dimensions) with extreme values.
        case overwriteHeader

        /// What can be done to text (YAML, JSON, CSV, `user item` lines) and to binary files.
        public static let textual: [Kind] = [.truncate, .flipBytes, .deleteLine, .duplicateLine, .swapType, .hugeNumber, .negativeNumber, .nonFinite]
        public static let binary: [Kind] = [.truncate, .flipBytes, .overwriteHeader]
    }

    static let otherTypes = ["[]", "{}", "\"text\"", "true", "null", "[1, 2]", "{a: 1}", "~", "\"\"", "- 3"]
    static let hugeNumbers = ["1e308", "1e400", "9223372036854775807", "9223372036854775808", "4294967296", "100000000000", "0.0000001"]
    static let negativeNumbers = ["-1", "0", "-0.5", "-9223372036854775808", "-1e308"]
    static let nonFiniteNumbers = [".nan", ".inf", "-.inf", "nan", "inf", "NaN", "\"nan\"", "\"inf\"", "\"-inf\""]

    public var rng: RNG

    public init(seed: UInt64) { rng = RNG(seed: seed) }

    /// `bytes` damaged by one mutation of `kinds`; mutations that find nothing to act on (no number
    /// in the file) fall back to flipping bytes, so every case differs from the original.
    public mutating func mutate(_ bytes: [UInt8], kinds: [Kind]) -> (bytes: [UInt8], kind: Kind) {
        let kind = kinds[rng.int(below: kinds.count)]
        if let damaged = apply(kind, to: bytes), damaged != bytes { return (damaged, kind) }
        return (flip(bytes), .flipBytes)
    }

    mutating func apply(_ kind: Kind, to bytes: [UInt8]) -> [UInt8]? {
        switch kind {
        case .truncate: return bytes.isEmpty ? nil : Array(bytes[..<rng.int(below: bytes.count)])
        case .flipBytes: return flip(bytes)
        case .deleteLine: return editLine(bytes) { _ in [] }
        case .duplicateLine: return editLine(bytes) { [$0, $0] }
        case .swapType:
            let replacement = Array(" \(Self.otherTypes[rng.int(below: Self.otherTypes.count)])".utf8)
            return editLine(bytes) { line in [line.firstIndex(of: 0x3A).map { Array(line[...$0]) + replacement } ?? line] }
        case .hugeNumber: return replaceNumber(bytes, Self.hugeNumbers)
        case .negativeNumber: return replaceNumber(bytes, Self.negativeNumbers)
        case .nonFinite: return replaceNumber(bytes, Self.nonFiniteNumbers)
        case .overwriteHeader:
            guard bytes.count >= 4 else { return nil }
            var damaged = bytes
            let at = rng.int(below: min(bytes.count, 16) - 3)
            let word: [UInt8] = [[0xFF, 0xFF, 0xFF, 0xFF], [0x7F, 0xFF, 0xFF, 0xFF], [0, 0, 0, 0], [0, 0, 0x08, 0x0F]][rng.int(below: 4)]
            damaged.replaceSubrange(at..<(at + 4), with: word)
            return damaged
        }
    }

    mutating func flip(_ bytes: [UInt8]) -> [UInt8] {
        guard !bytes.isEmpty else { return [0xFF] }
        var damaged = bytes
        for _ in 0..<(1 + rng.int(below: 4)) {
            damaged[rng.int(below: damaged.count)] ^= UInt8(1 + rng.int(below: 255))
        }
        return damaged
    }

    /// Replaces one random line by `edit(line)` (zero, one or two lines); for `swapType`, the value of
    /// `key: value` (YAML) or `"key": value,` (JSON) becomes one of another type.
    mutating func editLine(_ bytes: [UInt8], _ edit: ([UInt8]) -> [[UInt8]]) -> [UInt8]? {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        guard !lines.isEmpty else { return nil }
        let i = rng.int(below: lines.count)
        lines.replaceSubrange(i...i, with: edit(lines[i]))
        return Array(lines.joined(separator: [0x0A]))
    }

    /// One number token (digits with an optional sign, point and exponent) replaced by `choices`.
    mutating func replaceNumber(_ bytes: [UInt8], _ choices: [String]) -> [UInt8]? {
        let tokens = Self.numberTokens(bytes)
        guard !tokens.isEmpty else { return nil }
        let token = tokens[rng.int(below: tokens.count)]
        var damaged = bytes
        damaged.replaceSubrange(token, with: Array(choices[rng.int(below: choices.count)].utf8))
        return damaged
    }

    static func numberTokens(_ bytes: [UInt8]) -> [Range<Int>] {
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        func isNumberByte(_ c: UInt8) -> Bool { isDigit(c) || c == 0x2E || c == 0x65 || c == 0x45 || c == 0x2B || c == 0x2D }
        func isLetter(_ c: UInt8) -> Bool { (0x61...0x7A).contains(c | 0x20) }
        var tokens: [Range<Int>] = [], i = 0
        while i < bytes.count {
            let startsNumber = isDigit(bytes[i]) || (bytes[i] == 0x2D && i + 1 < bytes.count && isDigit(bytes[i + 1]))
            // A number stands alone: not the tail of a word such as `x2` or `top-5`.
            let standsAlone = i == 0 || !(isNumberByte(bytes[i - 1]) || isLetter(bytes[i - 1]))
            guard startsNumber, standsAlone else { i += 1; continue }
            var j = i + 1
            while j < bytes.count, isNumberByte(bytes[j]) { j += 1 }
            tokens.append(i..<j)
            i = j
        }
        return tokens
    }
}
