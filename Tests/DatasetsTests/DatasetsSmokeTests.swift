import XCTest
@testable import Datasets
final class DatasetsSmokeTests: XCTestCase { func testModuleLoads() {} }
