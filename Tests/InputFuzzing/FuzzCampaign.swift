import Foundation

/// Runs seeded damaged copies of one input through the code that reads it and tallies the outcomes.
/// A case passes when it is accepted or throws an error whose message names where the problem is
/// (one of `mustName`: the file, the dataset); a trap ends the test process, which is the failure
/// this campaign exists to catch. Set `REPRO_FUZZ_TRACE=1` to print every case before it runs (so
/// the one that trapped is the last line printed) and the message it ended with.
public struct FuzzCampaign {
    public let name: String
    public private(set) var cases = 0, accepted = 0
    /// Error messages with numbers and temporary paths masked, so kinds of messages are counted.
    public private(set) var messageKinds: Set<String> = []
    /// Messages that did not name any of `mustName`.
    public private(set) var vagueMessages: [String] = []

    public init(_ name: String) { self.name = name }

    /// Cases per input: `REPRO_FUZZ_ITERATIONS` when set (the long mode), else `quick`.
    public static func iterations(quick: Int) -> Int {
        ProcessInfo.processInfo.environment["REPRO_FUZZ_ITERATIONS"].flatMap(Int.init).map { max($0, 1) } ?? quick
    }

    static let trace = ProcessInfo.processInfo.environment["REPRO_FUZZ_TRACE"] == "1"

    public mutating func run(_ label: @autoclosure () -> String, mustName: [String], masking temporary: URL,
                             _ body: () throws -> Void) {
        cases += 1
        if Self.trace { FileHandle.standardError.write(Data("fuzz \(name) case \(cases): \(label())\n".utf8)) }
        do {
            try body()
            accepted += 1
        } catch {
            let message = "\(error)"
            if Self.trace { FileHandle.standardError.write(Data("  → \(message)\n".utf8)) }
            if !mustName.contains(where: message.contains) { vagueMessages.append("\(label()): \(message)") }
            messageKinds.insert(Self.mask(message, temporary: temporary.path))
        }
    }

    /// `cases` damaged copies of `original` written to `file` in turn (case i mutated from seed + i),
    /// each read by `read(i)`; the file is left holding the last copy.
    public mutating func damage(_ original: [UInt8], kinds: [Mutator.Kind], seed: UInt64, cases: Int, into file: URL,
                                mustName: [String], masking temporary: URL, read: (Int) throws -> Void) throws {
        for i in 0..<cases {
            var mutator = Mutator(seed: seed &+ UInt64(i))
            let (damaged, kind) = mutator.mutate(original, kinds: kinds)
            try Data(damaged).write(to: file)
            run("case \(i), \(kind.rawValue)", mustName: mustName, masking: temporary) { try read(i) }
        }
    }

    static func mask(_ message: String, temporary: String) -> String {
        message.replacingOccurrences(of: temporary, with: "<tmp>")
            .replacingOccurrences(of: "[0-9]+(\\.[0-9]+)?", with: "#", options: .regularExpression)
    }

    public var summary: String {
        "fuzz \(name): \(cases) cases, \(accepted) accepted, \(cases - accepted) rejected with \(messageKinds.count) distinct error messages"
    }
}
