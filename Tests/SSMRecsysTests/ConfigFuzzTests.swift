import InputFuzzing
import SSMRecsys
import XCTest

final class ConfigFuzzTests: XCTestCase {
    func testDamagedConfigIsAcceptedOrNamedNeverTraps() throws {
        try assertShippedConfigSurvivesFuzzing(SSMRecsys(), seed: 9000)
    }
}
