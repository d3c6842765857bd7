import InputFuzzing
import HeavyTailedClipping
import XCTest

final class ConfigFuzzTests: XCTestCase {
    func testDamagedConfigIsAcceptedOrNamedNeverTraps() throws {
        try assertShippedConfigSurvivesFuzzing(HeavyTailedClipping(), seed: 19000)
    }
}
