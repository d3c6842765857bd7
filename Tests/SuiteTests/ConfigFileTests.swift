@testable import Demo
import XCTest
@testable import Suite
import TestSupport

final class ConfigFileTests: XCTestCase {
    func decodeError(_ yaml: String) -> String {
        do {
            _ = try ConfigFile.decode(LeastSquaresDemo.Config.self, yaml: yaml, file: "reproductions/demo/experiments.yaml")
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    let valid = """
    quick: {steps: 10, seeds: 2, learningRates: {sgd: 0.1, adam: 0.01}}
    full: {steps: 100, seeds: 5, learningRates: {sgd: 0.1, adam: 0.01}}
    """

    func testValidConfigDecodes() throws {
        let config = try ConfigFile.decode(LeastSquaresDemo.Config.self, yaml: valid, file: "x.yaml")
        XCTAssertEqual(config.quick.steps, 10)
        XCTAssertEqual(config.full.learningRates["adam"], 0.01)
    }

    func testWrongTypeNamesFileKeyPathAndExpectation() {
        let message = decodeError(valid.replacingOccurrences(of: "steps: 10", with: "steps: ten"))
        XCTAssertTrue(message.hasPrefix("reproductions/demo/experiments.yaml: at quick.steps: expected an integer"), message)
    }

    func testMissingKeyIsNamed() {
        let message = decodeError(valid.replacingOccurrences(of: "seeds: 5, ", with: ""))
        XCTAssertTrue(message.contains("at full.seeds: required key 'seeds' is missing"), message)
    }

    func testConfigInTheReproductionFolderChangesTheSweep() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let workspace = sandbox.workspace()
        let paper = try workspace.reproduction("demo-least-squares")
        try FileManager.default.createDirectory(at: workspace.configDirectory(paper), withIntermediateDirectories: true)
        try valid.write(to: workspace.configDirectory(paper).appendingPathComponent("experiments.yaml"), atomically: true, encoding: .utf8)
        let runs = try workspace.experiments(paper, scale: .full)[0].runs
        XCTAssertEqual(runs.count, 10)
        XCTAssertEqual(runs[0].parameters["steps"], 100)
    }
}
