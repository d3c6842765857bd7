import InputFuzzing
import SSMRecsys
import XCTest

final class ConfigFuzzTests: XCTestCase {
    /// Truncated, byte-flipped, duplicated or retyped keys, huge, negative and non-finite numbers in
    /// the shipped config end in a run list or in an error naming the file, never in a trap.
    func testDamagedConfigIsAcceptedOrNamedNeverTraps() throws {
        let campaign = try fuzzShippedConfig(SSMRecsys(), cases: FuzzCampaign.iterations(quick: 100), seed: 9000)
        print(campaign.summary)
        XCTAssertEqual(campaign.vagueMessages, [])
        XCTAssertGreaterThan(campaign.cases - campaign.accepted, campaign.cases / 4, "the damage must reach the validation")
    }
}
