import Crypto
import Engine
import Foundation

/// A model's flat parameter vector saved as a run artifact (e.g. a pre-trained model that other
/// runs fine-tune): a text header `repro-parameters 1 <count> <sha256 of the payload>` and a
/// newline, then `count` float32 values, little-endian. Reading checks the count against the model
/// and the digest against the payload, so a damaged or foreign file is an error, never a model.
public enum ParameterFile {
    static let magic = "repro-parameters 1"

    public static func write(_ store: ParameterStore, to url: URL) throws {
        let payload = store.values.withUnsafeBufferPointer { p in
            Data(p.map(\.bitPattern.littleEndian).withUnsafeBytes { Data($0) })
        }
        let digest = SHA256.hash(data: payload).hexString
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp")
        try (Data("\(magic) \(store.count) \(digest)\n".utf8) + payload).write(to: temporary)
        _ = try? FileManager.default.removeItem(at: url)
        try FileManager.default.moveItem(at: temporary, to: url)
    }

    public static func read(into store: ParameterStore, from url: URL) throws {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw SuiteError("\(url.path) is missing; re-run the run that writes it (delete its folder under results/ first)")
        }
        guard let newline = data.firstIndex(of: UInt8(ascii: "\n")) else { throw damaged(url, "no header line") }
        let header = String(decoding: data[..<newline], as: UTF8.self).split(separator: " ")
        guard header.count == 4, header[0...1].joined(separator: " ") == magic, let count = Int(header[2]) else {
            throw damaged(url, "the header is not '\(magic) <count> <sha256>'")
        }
        guard count == store.count else {
            throw SuiteError("\(url.path) holds \(count) parameters but the model has \(store.count); it was saved from another model shape")
        }
        let payload = data[(newline + 1)...]
        guard payload.count == 4 * count else { throw damaged(url, "\(payload.count) payload bytes for \(count) float32 values") }
        guard SHA256.hash(data: payload).hexString == header[3] else {
            throw damaged(url, "the SHA-256 of the payload does not match the header")
        }
        store.values.withUnsafeMutableBufferPointer { x in
            payload.withUnsafeBytes { raw in
                for i in 0..<count { x[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
            }
        }
    }

    private static func damaged(_ url: URL, _ why: String) -> SuiteError {
        SuiteError("\(url.path) is damaged (\(why)); delete the run folder that holds it and re-run to recompute it")
    }
}
