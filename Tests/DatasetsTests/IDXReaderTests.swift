import Foundation
import XCTest
@testable import Datasets

final class IDXReaderTests: XCTestCase {
    /// Three 2×4 "images" with distinct pixel values, so a transposed or shifted read shows.
    private let pixels: [UInt8] = (0..<24).map { UInt8($0 * 10 + 3) }

    private func read(_ bytes: [UInt8], named name: String) throws -> DatasetArray {
        let url = try makeTemporaryDirectory(self).appendingPathComponent(name)
        try write(bytes, to: url)
        return try IDXReader.read(openByteSource(url, dataset: "toy"), arrayName: "images", dataset: "toy")
    }

    func testReadsPlainUInt8IDX() throws {
        let a = try read(idxFile(typeCode: 0x08, shape: [3, 2, 4], body: pixels), named: "images-idx3-ubyte")
        XCTAssertEqual(a.shape, [3, 2, 4])
        XCTAssertEqual(a.dtype, .uint8)
        XCTAssertEqual(a.integers, pixels.map(Int.init))
    }

    func testReadsGzippedIDXThroughStreamingInflate() throws {
        let a = try read(gzipped(idxFile(typeCode: 0x08, shape: [3, 2, 4], body: pixels)), named: "images-idx3-ubyte.gz")
        XCTAssertEqual(a.shape, [3, 2, 4])
        XCTAssertEqual(a.integers, pixels.map(Int.init))
    }

    /// Large enough that inflate refills its 64 KiB input buffer many times.
    func testLargeGzippedIDXMatchesPlain() throws {
        let body = (0..<(300 * 784)).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) }
        let file = idxFile(typeCode: 0x08, shape: [300, 28, 28], body: body)
        let a = try read(gzipped(file), named: "big-idx3-ubyte.gz")
        XCTAssertEqual(a.shape, [300, 28, 28])
        XCTAssertTrue(a.integers == body.map(Int.init))
    }

    func testConcatenatedGzipMembersReadAsOneStream() throws {
        let file = idxFile(typeCode: 0x08, shape: [3, 2, 4], body: pixels)
        let a = try read(gzipped(Array(file[..<10])) + gzipped(Array(file[10...])), named: "split-idx3-ubyte.gz")
        XCTAssertEqual(a.integers, pixels.map(Int.init))
    }

    func testInt32ElementsAreConvertedFromBigEndian() throws {
        let values: [Int32] = [1, -2, 70_000, Int32.min]
        var body: [UInt8] = []
        for v in values { withUnsafeBytes(of: v.bigEndian) { body += $0 } }
        let a = try read(idxFile(typeCode: 0x0C, shape: [4], body: body), named: "ints-idx1")
        XCTAssertEqual(a.dtype, .int32)
        XCTAssertEqual(a.integers, values.map(Int.init))
    }

    func testTruncatedFileNamesFileAndWhatIsMissing() throws {
        let bytes = gzipped(idxFile(typeCode: 0x08, shape: [3, 2, 4], body: Array(pixels.prefix(20))))
        XCTAssertThrowsError(try read(bytes, named: "short-idx3-ubyte.gz")) {
            let message = "\($0)"
            XCTAssertEqual(($0 as? DatasetError)?.kind, .malformedRawFile, message)
            XCTAssertTrue(message.contains("short-idx3-ubyte.gz") && message.contains("20 of the 24"), message)
        }
    }

    func testTruncatedGzipStreamIsReported() throws {
        let bytes = gzipped(idxFile(typeCode: 0x08, shape: [3, 2, 4], body: pixels))
        XCTAssertThrowsError(try read(Array(bytes.dropLast(12)), named: "cut.gz")) {
            XCTAssertEqual(($0 as? DatasetError)?.kind, .malformedRawFile, "\($0)")
        }
    }

    func testWrongMagicAndTrailingBytesAreRejected() throws {
        XCTAssertThrowsError(try read([1, 0, 8, 1, 0, 0, 0, 1, 5], named: "bad-magic")) {
            XCTAssertTrue("\($0)".contains("not an IDX file"), "\($0)")
        }
        XCTAssertThrowsError(try read(idxFile(typeCode: 0x08, shape: [2], body: [1, 2, 3]), named: "long")) {
            XCTAssertTrue("\($0)".contains("bytes after"), "\($0)")
        }
    }

    func testHugeDeclaredShapeIsRejectedBeforeAllocating() throws {
        for shape in [[0xFFFF_FFFF, 0xFFFF_FFFF, 28], [600_000, 28, 28]] {
            XCTAssertThrowsError(try read(idxFile(typeCode: 0x08, shape: shape, body: [1, 2, 3]), named: "huge")) {
                XCTAssertTrue("\($0)".contains("the header is damaged"), "\($0)")
            }
        }
    }
}
