import InputFuzzing
import SignMethods
import XCTest

final class ConfigFuzzTests: XCTestCase {
    func testDamagedConfigIsAcceptedOrNamedNeverTraps() throws {
        try assertShippedConfigSurvivesFuzzing(SignMethods(), seed: 11000)
    }
}
