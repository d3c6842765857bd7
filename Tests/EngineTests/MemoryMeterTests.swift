import XCTest
import Dispatch
@testable import Engine

final class MemoryMeterTests: XCTestCase {
    func testPeakCountsLiveTensorsOnly() {
        let existing = Tensor(zeros: [1000])
        let (_, peak) = MemoryMeter.measure {
            var kept = [Tensor(zeros: [100])]
            do { _ = Tensor(zeros: [300]) }
            kept.append(Tensor(zeros: [50]))
            return kept.count
        }
        // 100 and 300 live together (400 floats); after 300 is freed 100 + 50 never exceed that.
        XCTAssertEqual(peak, 400 * 4)
        XCTAssertEqual(existing.count, 1000)
    }

    func testTensorsFreedAfterwardsDoNotDisturbALaterMeasurement() {
        var escaped: Tensor?
        _ = MemoryMeter.measure { escaped = Tensor(zeros: [64]) }
        let (_, peak) = MemoryMeter.measure { escaped = nil; _ = Tensor(zeros: [10]) }
        XCTAssertEqual(peak, 40)
    }

    func testMetersOnOtherThreadsDoNotSeeEachOther() {
        var peaks = [Int](repeating: 0, count: 2)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            let (_, peak) = MemoryMeter.measure {
                for _ in 0..<200 { _ = Tensor(zeros: [(i + 1) * 100]) }
            }
            lock.lock(); peaks[i] = peak; lock.unlock()
        }
        XCTAssertEqual(peaks, [400, 800])
    }
}
