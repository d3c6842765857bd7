import Crypto
import Engine
import Foundation

/// What a long run saves at a safe point (the end of an epoch) to continue after an interruption:
/// the scalars of its loop, its parameters, its optimizer and any other state, by name. A run
/// resumed from it computes the same bits as one never interrupted, because everything else it
/// draws on is a function of the config and seed (every random stream is keyed by epoch or step).
public struct Checkpoint {
    /// Loop scalars (step, epoch, best score so far, seconds measured so far), exactly.
    public var numbers: [String: Double] = [:]
    /// Larger state by name, as bytes.
    public var blobs: [String: Data] = [:]

    public init() {}

    public func number(_ name: String) throws -> Double {
        guard let value = numbers[name] else { throw SuiteError("the run's checkpoint has no value '\(name)'", kind: .failed) }
        return value
    }

    /// A tensor's values, bit for bit.
    public mutating func set(_ name: String, _ tensor: Tensor) { blobs[name] = tensor.withUnsafeBufferPointer { Data(buffer: $0) } }

    /// Reads the values saved under `name` into `tensor`, which must have as many.
    public func read(_ name: String, into tensor: inout Tensor) throws {
        guard let data = blobs[name], data.count == tensor.count * MemoryLayout<Float>.size else {
            throw SuiteError("the run's checkpoint has no \(tensor.count) values '\(name)'", kind: .failed)
        }
        tensor.withUnsafeMutableBufferPointer { _ = data.copyBytes(to: $0) }
    }

    /// Named float arrays (a pipeline's boundary state), each bit for bit, under `prefix`.
    public mutating func set(_ prefix: String, arrays: [String: [Float]]) {
        for (name, values) in arrays { blobs["\(prefix).\(name)"] = values.withUnsafeBufferPointer { Data(buffer: $0) } }
    }

    /// The arrays saved under `prefix`.
    public func arrays(_ prefix: String) -> [String: [Float]] {
        Dictionary(uniqueKeysWithValues: blobs.filter { $0.key.hasPrefix(prefix + ".") }.map { name, data in
            (String(name.dropFirst(prefix.count + 1)), data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) })
        })
    }

    /// A Codable value (an optimizer's state, the best metrics so far).
    public mutating func set<T: Encodable>(_ name: String, encoding value: T) throws {
        blobs[name] = try Self.encoder.encode(value)
    }

    public func decode<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        guard let data = blobs[name] else { throw SuiteError("the run's checkpoint has no '\(name)'", kind: .failed) }
        return try Self.decoder.decode(type, from: data)
    }

    /// An optimizer's state (its type is the one the run made from its config).
    public mutating func set(_ name: String, optimizer: any Optimizer) throws { blobs[name] = try optimizer.encodedState() }

    public func restore(_ optimizer: any Optimizer, _ name: String) throws -> any Optimizer {
        guard let data = blobs[name] else { throw SuiteError("the run's checkpoint has no optimizer '\(name)'", kind: .failed) }
        return try optimizer.restored(from: data)
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .asText
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .asText
        return decoder
    }()
}

/// `checkpoint.bin` in a run's temporary folder: a first line naming the format, the length of a
/// JSON header (8 bytes, little-endian), the header (the run's key and code version, where its
/// metrics stood, the checkpoint's numbers and its blobs' sizes and SHA-256), then the blobs in
/// name order. Written to a temporary file and renamed, so a checkpoint is whole or absent.
struct CheckpointFile {
    static let name = "checkpoint.bin"
    static let magic = Data("repro checkpoint 1\n".utf8)

    struct Header: Codable {
        var key: String
        var engineVersion: String
        var gitCommit: String?
        /// The OpenBLAS core that computed the run so far (`BLAS.library.core`).
        var blasCore: String? = nil
        /// metrics.csv's length, rows and columns at the checkpoint, and the final metrics and measurements so far.
        var metricsBytes: Int
        var rowCount: Int
        var columns: [String]
        var final: [String: Double]
        var measurements: [String: Double]
        /// Wall seconds of the attempts before this one.
        var elapsedSeconds: Double
        var numbers: [String: Double]
        var blobs: [String: Int]
        var digest: String
    }

    var header: Header
    var checkpoint: Checkpoint

    /// The header's JSON: sorted keys, so its digest can be recomputed from its decoded value.
    private static func json(_ header: Header) throws -> Data {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .asText
        encoder.outputFormatting = .sortedKeys
        return try encoder.encode(header)
    }

    /// SHA-256 of the header without its digest and of the blobs in name order: a changed byte
    /// anywhere (a loop scalar, where the metrics stood) makes the checkpoint unusable.
    private static func digest(_ header: Header, _ checkpoint: Checkpoint) throws -> String {
        var unsealed = header
        unsealed.digest = ""
        var hasher = SHA256()
        hasher.update(data: try json(unsealed))
        for name in checkpoint.blobs.keys.sorted() { hasher.update(data: checkpoint.blobs[name]!) }
        return hasher.finalize().hexString
    }

    func encoded() throws -> Data {
        var header = self.header
        let names = checkpoint.blobs.keys.sorted()
        header.blobs = Dictionary(uniqueKeysWithValues: names.map { ($0, checkpoint.blobs[$0]!.count) })
        header.numbers = checkpoint.numbers
        header.digest = try Self.digest(header, checkpoint)
        let json = try Self.json(header)
        var data = Self.magic
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(json)
        for name in names { data.append(checkpoint.blobs[name]!) }
        return data
    }

    /// The checkpoint in `data`; nil when it is not a whole, unchanged checkpoint file.
    static func decode(_ data: Data) -> CheckpointFile? {
        guard data.starts(with: magic), data.count >= magic.count + 8 else { return nil }
        var length: UInt64 = 0
        withUnsafeMutableBytes(of: &length) { _ = data.copyBytes(to: $0, from: (data.startIndex + magic.count)..<(data.startIndex + magic.count + 8)) }
        let start = data.startIndex + magic.count + 8
        guard UInt64(littleEndian: length) <= UInt64(data.endIndex - start) else { return nil }
        let headerEnd = start + Int(UInt64(littleEndian: length))
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .asText
        guard let header = try? decoder.decode(Header.self, from: data[start..<headerEnd]) else { return nil }
        var checkpoint = Checkpoint()
        checkpoint.numbers = header.numbers
        var offset = headerEnd
        for name in header.blobs.keys.sorted() {
            let count = header.blobs[name]!
            guard count >= 0, count <= data.endIndex - offset else { return nil }
            checkpoint.blobs[name] = Data(data[offset..<(offset + count)])
            offset += count
        }
        guard offset == data.endIndex, (try? digest(header, checkpoint)) == header.digest else { return nil }
        return CheckpointFile(header: header, checkpoint: checkpoint)
    }

    /// Whether this checkpoint can continue `key` with this build: a checkpoint of other code would
    /// not continue with the same bits, so its run starts over.
    /// Whether this build continues the checkpoint: same run, same code, and the same OpenBLAS
    /// core (a run continued under another kernel, after a requeue onto another kind of node, would
    /// mix two kernels' rounding while its summary names one).
    func continues(_ key: String) -> Bool {
        header.key == key && header.engineVersion == SuiteInfo.version && header.gitCommit == RunEnvironment.gitCommit
            && header.blasCore == BLAS.library.core
    }
}
