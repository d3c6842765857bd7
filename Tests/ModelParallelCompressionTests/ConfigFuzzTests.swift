import InputFuzzing
import ModelParallelCompression
import XCTest

final class ConfigFuzzTests: XCTestCase {
    func testDamagedConfigIsAcceptedOrNamedNeverTraps() throws {
        try assertShippedConfigSurvivesFuzzing(ModelParallelCompression(), seed: 24000)
    }
}
