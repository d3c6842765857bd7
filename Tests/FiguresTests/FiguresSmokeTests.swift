import XCTest
@testable import Figures
final class FiguresSmokeTests: XCTestCase { func testModuleLoads() {} }
