import Engine
import Foundation
import XCTest
@testable import Suite

final class ParameterFileTests: XCTestCase {
    func store(seed: UInt64) -> ParameterStore {
        var builder = ParameterBuilder(rng: RNG(seed: seed))
        _ = builder.add("w", shape: [3, 4], .normal(std: 1))
        _ = builder.add("b", shape: [4], .normal(std: 1))
        return builder.build()
    }

    func testParametersRoundTripBitForBit() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("params-\(UUID().uuidString).bin")
        defer { try? FileManager.default.removeItem(at: url) }
        let saved = store(seed: 1), loaded = store(seed: 2)
        try ParameterFile.write(saved, to: url)
        try ParameterFile.read(into: loaded, from: url)
        XCTAssertEqual(loaded.values, saved.values)
    }

    func testDamagedOrForeignFilesAreRejectedWithTheirPath() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("params-\(UUID().uuidString).bin")
        defer { try? FileManager.default.removeItem(at: url) }
        try ParameterFile.write(store(seed: 1), to: url)
        var bytes = try Data(contentsOf: url)
        bytes[bytes.count - 3] ^= 0x40
        try bytes.write(to: url)
        XCTAssertThrowsError(try ParameterFile.read(into: store(seed: 2), from: url)) { error in
            XCTAssertTrue("\(error)".contains(url.path) && "\(error)".contains("SHA-256"), "\(error)")
        }
        var builder = ParameterBuilder(rng: RNG(seed: 3))
        _ = builder.add("w", shape: [5], .zeros)
        try ParameterFile.write(builder.build(), to: url)
        XCTAssertThrowsError(try ParameterFile.read(into: store(seed: 2), from: url)) { error in
            XCTAssertTrue("\(error)".contains("holds 5 parameters but the model has 16"), "\(error)")
        }
    }
}
