import InputFuzzing
import OptimizerBenchmark
import XCTest

final class ConfigFuzzTests: XCTestCase {
    func testDamagedConfigIsAcceptedOrNamedNeverTraps() throws {
        try assertShippedConfigSurvivesFuzzing(OptimizerBenchmark(), seed: 9100)
    }
}
