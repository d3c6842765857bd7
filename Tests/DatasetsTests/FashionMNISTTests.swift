import Foundation
import XCTest
@testable import Datasets

final class FashionMNISTTests: XCTestCase {
    /// Loads the full data from where `apt-get install dataset-fashion-mnist` puts it, through a
    /// fresh cache (parse, write, then read back from the cache).
    func testLoadsFullDataFromDebianPackageLocation() throws {
        let aptDirectory = FashionMNIST.spec.systemDirectories[0]
        let present = FashionMNIST.spec.files.allSatisfy {
            FileManager.default.fileExists(atPath: aptDirectory + "/" + $0.name)
        }
        guard present else {
            throw XCTSkip("Fashion-MNIST is not installed at \(aptDirectory); `apt-get install dataset-fashion-mnist` to run this test")
        }
        let cache = DatasetCache(root: try makeTemporaryDirectory(self), registry: .standard) { _ in }
        let built = try cache.load("fashion-mnist", allowSample: false)
        XCTAssertFalse(built.isSample)
        XCTAssertTrue(built.provenance.contains(aptDirectory), built.provenance)
        let loaded = try cache.load("fashion-mnist", allowSample: false)
        XCTAssertTrue(loaded.provenance.contains("from the cache"), loaded.provenance)

        XCTAssertEqual(try loaded.array("train.images").shape, [60000, 28, 28])
        XCTAssertEqual(try loaded.array("test.images").shape, [10000, 28, 28])
        // The published splits are balanced: 6,000 training and 1,000 test images per class.
        for (split, perClass) in [("train", 6000), ("test", 1000)] {
            var counts = [Int](repeating: 0, count: 10)
            for label in try loaded.array("\(split).labels").integers { counts[label] += 1 }
            XCTAssertEqual(counts, [Int](repeating: perClass, count: 10), split)
        }
        guard case .uint8(let pixels) = try loaded.array("train.images").storage else { return XCTFail("pixels should be uint8") }
        XCTAssertEqual(pixels.max(), 255)
        XCTAssertEqual(pixels.min(), 0)
    }

    func testShippedSampleLoadsWhenFullDataIsAbsent() throws {
        let registry = DatasetRegistry.standard
        guard let samples = registry.samplesDirectory else { throw XCTSkip("the repository's datasets/ folder was not found") }
        // A registry whose system directory does not exist stands for a machine without the package.
        let spec = FashionMNIST.spec
        let bare = DatasetSpec(name: spec.name, summary: spec.summary, license: spec.license, homepage: spec.homepage,
                               files: spec.files, parser: spec.parser, preprocessingVersion: spec.preprocessingVersion,
                               systemDirectories: ["/nonexistent/fashion-mnist"], sampleFiles: spec.sampleFiles)
        let cache = DatasetCache(root: try makeTemporaryDirectory(self),
                                 registry: DatasetRegistry([bare], samplesDirectory: samples)) { _ in }
        let loaded = try cache.load("fashion-mnist")
        XCTAssertTrue(loaded.isSample)
        XCTAssertEqual(try loaded.array("train.images").shape, [500, 28, 28])
        XCTAssertEqual(try loaded.array("test.labels").shape, [100])
        let images = try loaded.tensor("train.images", scale: 1 / 255)
        XCTAssertEqual(images.shape, [500, 28, 28])
        XCTAssertLessThanOrEqual(images.scalars.max()!, 1)
    }
}
