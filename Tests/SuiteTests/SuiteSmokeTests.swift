import XCTest
@testable import Suite
final class SuiteSmokeTests: XCTestCase { func testModuleLoads() {} }
