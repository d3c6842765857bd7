import Foundation
import XCTest
@testable import Suite
@testable import Report

final class PlotsFolderTests: XCTestCase {
    func testFilesFollowTheDeclaredOrderThenTheAlphabet() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("plots-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for name in ["zeta.svg", "gap-quantiles-b.svg", "gap-q95-a.svg", "gap-quantiles-a.svg", "alpha.svg", ".hidden.svg", "gap-q95-a.png"] {
            try Data().write(to: directory.appendingPathComponent(name))
        }
        XCTAssertEqual(PlotsFolder(directory: directory).names(withExtension: "svg", declared: ["gap-quantiles", "gap-q95"]),
                       ["gap-quantiles-a", "gap-quantiles-b", "gap-q95-a", "alpha", "zeta"])
    }
}
