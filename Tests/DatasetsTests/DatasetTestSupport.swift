import CZlib
import Foundation
import XCTest
@testable import Datasets

/// A fresh directory under the system temp dir, removed when the test ends.
func makeTemporaryDirectory(_ test: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("repro-datasets-tests-\(getpid())-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

/// One gzip member holding `bytes` (zlib's deflate with the gzip wrapper: 15 window bits + 16).
func gzipped(_ bytes: [UInt8]) -> [UInt8] {
    var stream = z_stream()
    precondition(deflateInit2_(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                               ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK)
    defer { deflateEnd(&stream) }
    var input = bytes
    var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 64)
    let produced: Int = input.withUnsafeMutableBufferPointer { inp in
        output.withUnsafeMutableBufferPointer { out in
            stream.next_in = inp.baseAddress
            stream.avail_in = UInt32(inp.count)
            stream.next_out = out.baseAddress
            stream.avail_out = UInt32(out.count)
            precondition(deflate(&stream, Z_FINISH) == Z_STREAM_END)
            return out.count - Int(stream.avail_out)
        }
    }
    return Array(output[..<produced])
}

/// An IDX file: the magic (type code, rank), big-endian dimensions, then `body` as given.
func idxFile(typeCode: UInt8, shape: [Int], body: [UInt8]) -> [UInt8] {
    var bytes: [UInt8] = [0, 0, typeCode, UInt8(shape.count)]
    for d in shape { withUnsafeBytes(of: UInt32(d).bigEndian) { bytes += $0 } }
    return bytes + body
}

func write(_ bytes: [UInt8], to url: URL) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: url)
}

func sha256(of url: URL) throws -> String { try SHA256Digest.ofFile(url, dataset: "test") }

/// A one-file character dataset ("toy-text") whose raw file is `text`, registered with that file's
/// true SHA-256, and optionally a sample in `samples/`.
struct ToyTextDataset {
    let rawFile: URL
    let registry: DatasetRegistry
    let spec: DatasetSpec

    init(in directory: URL, text: String, sampleText: String? = nil) throws {
        rawFile = directory.appendingPathComponent("downloads/toy.txt")
        try write(Array(text.utf8), to: rawFile)
        var sampleFiles: [String: String] = [:]
        if let sampleText {
            try write(Array(sampleText.utf8), to: directory.appendingPathComponent("repo-datasets/samples/toy-sample.txt"))
            sampleFiles = ["toy.txt": "samples/toy-sample.txt"]
        }
        spec = DatasetSpec(
            name: "toy-text", summary: "test corpus", license: "test", homepage: "https://example.invalid/toy",
            files: [RawFile(name: "toy.txt", urls: ["https://repro-test.invalid/toy.txt"],
                            sha256: [(try sha256(of: rawFile), "test fixture")])],
            parser: CharacterCorpusParser(), preprocessingVersion: 1,
            sampleFiles: sampleFiles)
        registry = DatasetRegistry([spec], samplesDirectory: directory.appendingPathComponent("repo-datasets"))
    }
}

/// Collects a cache's reports for assertions.
final class ReportLog {
    var messages: [String] = []
    func cache(root: URL, registry: DatasetRegistry) -> DatasetCache {
        DatasetCache(root: root, registry: registry) { [unowned self] in self.messages.append($0) }
    }
}
