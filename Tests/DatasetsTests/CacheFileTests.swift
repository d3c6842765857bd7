import Foundation
import XCTest
@testable import Datasets

final class CacheFileTests: XCTestCase {
    private func sampleData() -> ParsedDataset {
        // Enough elements that the payload spans several zstd input chunks.
        let n = 300_000
        return ParsedDataset(
            arrays: [
                DatasetArray(name: "pixels", shape: [n / 100, 10, 10], .uint8((0..<n).map { UInt8(truncatingIfNeeded: ($0 &* 31) >> 3) })),
                DatasetArray(name: "ids", shape: [7], .int32([0, -1, 5, Int32.max, Int32.min, 42, 7])),
                DatasetArray(name: "weights", shape: [2, 3], .float32([0.5, -1.25, .pi, 1e-30, -0, 65504])),
                DatasetArray(name: "empty", shape: [0, 4], .float32([])),
            ],
            attributes: ["classes": 10, "users": 3])
    }

    private func assertSameArrays(_ a: ParsedDataset, _ b: ParsedDataset, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.arrays.map(\.name), b.arrays.map(\.name), file: file, line: line)
        XCTAssertEqual(a.attributes, b.attributes, file: file, line: line)
        for (x, y) in zip(a.arrays, b.arrays) {
            XCTAssertEqual(x.shape, y.shape, x.name, file: file, line: line)
            XCTAssertEqual(x.dtype, y.dtype, x.name, file: file, line: line)
            let bx = x.withUnsafeBytes { Array($0) }, by = y.withUnsafeBytes { Array($0) }
            XCTAssertTrue(bx == by, "\(x.name) bytes differ after the round trip", file: file, line: line)
        }
    }

    private func writeSample(to url: URL) throws -> ParsedDataset {
        let data = sampleData()
        try CacheFile.write(data, dataset: "toy", preprocessingVersion: 3, rawSHA256: ["a.bin": "00ff"],
                            isSample: false, to: url)
        return data
    }

    func testRoundTripKeepsArraysHeaderAndAttributes() throws {
        let url = try makeTemporaryDirectory(self).appendingPathComponent("toy.p3.rpds")
        let data = try writeSample(to: url)
        let (header, read) = try CacheFile.read(url, dataset: "toy")
        assertSameArrays(data, read)
        XCTAssertEqual(header.preprocessingVersion, 3)
        XCTAssertEqual(header.rawSHA256, ["a.bin": "00ff"])
        XCTAssertEqual(header.payloadBytes, 300_000 + 7 * 4 + 6 * 4)
        XCTAssertEqual(header.payloadSHA256, CacheFile.payloadDigest(data.arrays))
        XCTAssertEqual(try CacheFile.readHeader(url, dataset: "toy"), header)
        let fileSize = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as! Int
        XCTAssertLessThan(fileSize, header.payloadBytes, "the payload should be compressed")
    }

    /// Flips one bit at each of several offsets (prefix, header JSON, payload start, middle, last
    /// byte); every damaged copy must be refused as `cacheCorrupt`, never returned.
    func testAnyFlippedByteIsDetected() throws {
        let dir = try makeTemporaryDirectory(self)
        let url = dir.appendingPathComponent("toy.p3.rpds")
        _ = try writeSample(to: url)
        let original = try [UInt8](Data(contentsOf: url))
        let headerEnd = CacheFile.prefixLength + Int(original.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 12, as: UInt32.self)) })
        for offset in [3, 9, 20, 40, headerEnd - 2, headerEnd + 5, (headerEnd + original.count) / 2, original.count - 1] {
            var damaged = original
            damaged[offset] ^= 0x10
            let copy = dir.appendingPathComponent("damaged.rpds")
            try Data(damaged).write(to: copy)
            XCTAssertThrowsError(try CacheFile.read(copy, dataset: "toy"), "flip at \(offset) of \(original.count)") {
                XCTAssertEqual(($0 as? DatasetError)?.kind, .cacheCorrupt, "flip at \(offset): \($0)")
            }
        }
    }

    func testTruncatedAndExtendedFilesAreDetected() throws {
        let dir = try makeTemporaryDirectory(self)
        let url = dir.appendingPathComponent("toy.p3.rpds")
        _ = try writeSample(to: url)
        let original = try [UInt8](Data(contentsOf: url))
        for variant in [Array(original.dropLast(1)), Array(original.prefix(10)), original + [0]] {
            let copy = dir.appendingPathComponent("variant.rpds")
            try Data(variant).write(to: copy)
            XCTAssertThrowsError(try CacheFile.read(copy, dataset: "toy"), "length \(variant.count)") {
                XCTAssertEqual(($0 as? DatasetError)?.kind, .cacheCorrupt, "\($0)")
            }
        }
    }

    func testUncommittedWriterLeavesNoFile() throws {
        let dir = try makeTemporaryDirectory(self)
        let destination = dir.appendingPathComponent("entry.rpds")
        do {
            let writer = try AtomicFileWriter(destination, dataset: "toy")
            try [UInt8]([1, 2, 3]).withUnsafeBytes { try writer.write($0) }
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [])
    }
}
