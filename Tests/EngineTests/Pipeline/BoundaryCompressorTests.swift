import XCTest
@testable import Engine

final class BoundaryCompressorTests: XCTestCase {
    func compress(_ c: inout some BoundaryCompressor, _ values: [Float], shape: [Int]) -> ([Float], Int) {
        var out = [Float](repeating: .nan, count: values.count)
        let bits = values.withUnsafeBufferPointer { x in out.withUnsafeMutableBufferPointer { c.compress(x, shape: shape, into: $0) } }
        return (out, bits)
    }

    func testPerSampleTopKKeepsEachRowsLargestMagnitudes() {
        var topk = PerSampleTopK(fraction: 0.5)
        let (y, bits) = compress(&topk, [1, -3, 2, 0.5, 0, 0, 4, -1], shape: [2, 4])
        XCTAssertEqual(y, [0, -3, 2, 0, 0, 0, 4, -1])
        // Four kept values, each 32 bits plus a position among 4 (2 bits).
        XCTAssertEqual(bits, 4 * (32 + 2))
    }

    func testPerSampleTopKCountsNoBitsForKeptZeros() {
        var topk = PerSampleTopK(fraction: 0.5)
        let (y, bits) = compress(&topk, [0, 0, 0, 5], shape: [1, 4])
        XCTAssertEqual(y, [0, 0, 0, 5])
        XCTAssertEqual(bits, 32 + 2)
    }

    func testPerSampleTopKMaskZeroesWhatTheForwardDropped() {
        var topk = PerSampleTopK(fraction: 0.25)
        _ = compress(&topk, [1, -3, 2, 0.5, 0, 0.1, 4, -1], shape: [2, 4])
        var g: [Float] = [1, 2, 3, 4, 5, 6, 7, 8]
        XCTAssertTrue(g.withUnsafeMutableBufferPointer { topk.applyLastMask(to: $0) })
        XCTAssertEqual(g, [0, 2, 0, 0, 0, 0, 7, 0])
    }

    func testMinMaxQuantizationRoundsToUniformLevelsBetweenMinAndMax() {
        var q = MinMaxQuantization(bits: 2)
        let (y, bits) = compress(&q, [0, 0.2, 0.5, 0.9, 1.0], shape: [1, 5])
        // Levels 0, 1/3, 2/3, 1: 0.2·3 = 0.6 → 1, 0.5·3 = 1.5 → 2 (half away from zero), 0.9·3 = 2.7 → 3.
        XCTAssertEqual(y[0], 0)
        XCTAssertEqual(y[1], 1.0 / 3, accuracy: 1e-6)
        XCTAssertEqual(y[2], 2.0 / 3, accuracy: 1e-6)
        XCTAssertEqual(y[3], 1, accuracy: 1e-6)
        XCTAssertEqual(y[4], 1, accuracy: 1e-6)
        XCTAssertEqual(bits, 2 * 5 + 64)
    }

    func testMinMaxQuantizationOfAConstantTensorIsExact() {
        var q = MinMaxQuantization(bits: 1)
        XCTAssertEqual(compress(&q, [0.3, 0.3], shape: [2, 1]).0, [0.3, 0.3])
    }

    func testFixpointQuantizationUsesOneMaxScalePerChannelAndClipsTheTopLevel() {
        var q = FixpointQuantization(bits: 2)
        // Channel 0 has scale 2, channel 1 scale 0.5; codes are round(x/s·2) clipped to [−2, 1].
        let (y, bits) = compress(&q, [2, -0.5, -1, 0.25, 0.9, 0.1], shape: [3, 2])
        let expected: [Float] = [1, -0.5, -1, 0.25, 1, 0]
        for (a, b) in zip(y, expected) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        XCTAssertEqual(bits, 2 * 6 + 32 * 2)
    }

    func testCompressionSpecsRejectSettingsOutsideTheirRange() {
        XCTAssertThrowsError(try BoundaryCompression(kind: .topk, k: 1.5).validate())
        XCTAssertThrowsError(try BoundaryCompression(kind: .topk).validate())
        XCTAssertThrowsError(try BoundaryCompression(kind: .fixpoint, bits: 0).validate())
        XCTAssertThrowsError(try BoundarySpec(forward: .quantization(bits: 4), backwardMask: .shared).validate())
        XCTAssertThrowsError(try BoundarySpec(compensation: .aqsgd).validate())
        XCTAssertNoThrow(try BoundarySpec(forward: .topK(0.1), backwardMask: .shared).validate())
    }
}
