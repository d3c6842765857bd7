import Foundation
import Papers
import Suite
import XCTest

/// Every typed experiment's runs decode to their parameter type and encode back to the same run:
/// what the store hashed is what the body receives, and nothing a run was given is lost or renamed
/// on the way (a parameter the type does not declare, a number of the wrong type).
final class TypedParametersTests: XCTestCase {
    func testEveryTypedRunRoundTripsToItsOwnKey() throws {
        let reproductions = RunKeyDigestTests.packageRoot.appendingPathComponent("reproductions")
        var checked = 0
        for paper in Catalog.reproductions {
            for scale in Scale.allCases {
                for experiment in try paper.experiments(scale: scale, configDirectory: reproductions.appendingPathComponent(paper.id)) {
                    guard let type = experiment.parameterType else { continue }
                    for run in experiment.runs {
                        let again = try Self.roundTrip(run, through: type)
                        XCTAssertEqual(again.key, run.key, "\(paper.id) \(scale) \(run.label): \(run.parameters) became \(again.parameters)")
                        XCTAssertEqual(run.groupFields?.name, run.group, "\(paper.id) \(run.label): built without its group's fields")
                        checked += 1
                    }
                }
            }
        }
        XCTAssertGreaterThan(checked, 0)
    }

    static func roundTrip<P: RunParameters>(_ run: RunConfig, through type: P.Type) throws -> RunConfig {
        try RunConfig(paper: run.paper, experiment: run.experiment, group: run.groupFields ?? .named(run.group), seed: run.seed, typed: try run.typed(type))
    }
}
