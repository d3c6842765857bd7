import XCTest
@testable import Engine

final class AQSGDMemoryTests: XCTestCase {
    func testWarmUpStoresActivationsAndLaterMessagesAreCompressedDeltas() {
        var memory = AQSGDMemory(width: 2)
        var c: any BoundaryCompressor = PerSampleTopK(fraction: 0.5)
        let warm = memory.warmUp(Tensor(shape: [2, 2], [1, 2, 3, 4]), samples: [7, 9])
        XCTAssertEqual(warm.bits, 4 * 32)
        XCTAssertEqual(memory.receiver[7], [1, 2])
        // Sample 9 first: δ = (1.5 − 3, 2 − 4) keeps −2; sample 7: δ = (3 − 1, 10 − 2) keeps 8.
        let sent = memory.send(Tensor(shape: [2, 2], [1.5, 2, 3, 10]), samples: [9, 7], through: &c)
        XCTAssertEqual(sent.received.scalars, [3, 2, 1, 10])
        XCTAssertEqual(memory.sender[9], [3, 2])
        XCTAssertEqual(memory.sender[7], [1, 10])
        XCTAssertEqual(sent.bits, 2 * (32 + 1))
    }

    func testSenderAndReceiverMemoriesStayIdentical() {
        var memory = AQSGDMemory(width: 6)
        var c: any BoundaryCompressor = FixpointQuantization(bits: 3)
        var rng = RNG(seed: 5)
        for step in 0..<50 {
            let samples = (0..<4).map { _ in rng.int(below: 10) }
            let x = Tensor.normal([4, 6], rng: &rng)
            if step < 5 { _ = memory.warmUp(x, samples: samples) } else { _ = memory.send(x, samples: samples, through: &c) }
        }
        XCTAssertEqual(memory.sender.count, memory.receiver.count)
        for (id, m) in memory.sender {
            XCTAssertEqual(m.map(\.bitPattern), memory.receiver[id]?.map(\.bitPattern), "sample \(id)")
        }
    }

    func testAnUnseenSampleStartsFromZeroMemory() {
        var memory = AQSGDMemory(width: 2)
        var c: any BoundaryCompressor = NoCompression()
        let sent = memory.send(Tensor(shape: [1, 2], [0.5, -1]), samples: [3], through: &c)
        XCTAssertEqual(sent.received.scalars, [0.5, -1])
    }
}
