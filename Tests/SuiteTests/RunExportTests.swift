import Demo
import Foundation
import XCTest
@testable import Suite
import TestSupport

final class RunExportTests: XCTestCase {
    /// RFC 4180 read back: quoted fields with doubled quotes, commas and line breaks; CRLF records.
    func parse(_ text: String) -> [[String]] {
        var records: [[String]] = [], record: [String] = [], field = "", quoted = false
        var characters = Array(text)[...]
        while let c = characters.popFirst() {
            if quoted {
                if c == "\"" {
                    if characters.first == "\"" { field.append("\""); characters.removeFirst() } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { record.append(field); field = "" }
            else if c == "\r\n" || c == "\n" { record.append(field); records.append(record); record = []; field = "" }
            else { field.append(c) }
        }
        return records
    }

    /// The demo's quick runs, computed in `sandbox`.
    func demoRuns(_ sandbox: Sandbox) throws -> (Workspace, [Experiment]) {
        let workspace = sandbox.workspace()
        let paper = LeastSquaresDemo()
        let experiments = try workspace.experiments(paper, scale: .quick)
        _ = try workspace.run(paper, experiments: experiments, runner: sandbox.runner(workspace))
        return (workspace, experiments)
    }

    func testEveryRunAndEveryColumnOfADemoStoreRoundTrips() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let (workspace, experiments) = try demoRuns(sandbox)

        let url = sandbox.root.appendingPathComponent("out/demo.csv")
        try RunExport(experiments, store: workspace.store).write(to: url)
        let table = parse(try String(contentsOf: url, encoding: .utf8))
        let header = try XCTUnwrap(table.first)
        let rows = table.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
        XCTAssertTrue(table.allSatisfy { $0.count == header.count }, "every record has the header's fields")

        let runs = experiments.flatMap(\.runs)
        XCTAssertEqual(rows.count, runs.count)
        for run in runs {
            let summary = try XCTUnwrap(try workspace.store.summary(run))
            let row = try XCTUnwrap(rows.first { $0["key"] == summary.key }, run.label)
            XCTAssertEqual(row["experiment"], run.experiment)
            XCTAssertEqual(row["group"], run.group)
            XCTAssertEqual(row["seed"], String(run.seed))
            for (metric, value) in summary.final {
                XCTAssertEqual(Double(try XCTUnwrap(row["final.\(metric)"], metric)), value, "\(run.label) \(metric) reads back as the same double")
            }
            for (name, value) in summary.measurements ?? [:] {
                XCTAssertEqual(Double(try XCTUnwrap(row["measurement.\(name)"], name)), value)
            }
            for (name, value) in run.parameters {
                let cells = RunExport.fields(of: value, named: "config.\(name)")
                for (column, text) in cells { XCTAssertEqual(row[column], text, "\(run.label) \(column)") }
            }
            XCTAssertEqual(row["diverged"], String(summary.diverged))
            XCTAssertEqual(row["git_commit"], summary.gitCommit ?? "")
            XCTAssertEqual(row["blas_core"], summary.blasCore ?? "")
        }
        XCTAssertEqual(Set(header).count, header.count, "no column twice")
        XCTAssertEqual(Array(header.prefix(5)), RunExport.leadingColumns)
        XCTAssertTrue(["config.lr", "config.method", "final.loss"].allSatisfy(header.contains), "\(header)")
    }

    func testAnExistingFileThatIsNoExportIsReplacedOnlyWithForce() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let (workspace, experiments) = try demoRuns(sandbox)
        let export = try RunExport(experiments, store: workspace.store)
        let url = sandbox.root.appendingPathComponent("thesis.csv")
        try Data("my,own,data\n1,2,3\n".utf8).write(to: url)

        XCTAssertThrowsError(try export.write(to: url)) { error in
            XCTAssertTrue("\(error)".contains("\(url.path) exists and is not an export of `repro export`") && "\(error)".contains("--force"), "\(error)")
        }
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "my,own,data\n1,2,3\n")
        try export.write(to: url, force: true)
        try export.write(to: url)
        XCTAssertTrue(try String(contentsOf: url, encoding: .utf8).hasPrefix("paper,experiment,group,seed,key,"), "an earlier export is replaced")
        XCTAssertThrowsError(try export.write(to: sandbox.root)) { XCTAssertTrue("\($0)".contains("is a folder"), "\($0)") }
    }

    func testFieldsWithCommasQuotesAndLineBreaksAreQuoted() {
        XCTAssertEqual(RunExport.quoted("noise=alpha-stable(1.5,σ=0.001)"), "\"noise=alpha-stable(1.5,σ=0.001)\"")
        XCTAssertEqual(RunExport.quoted("say \"hi\""), "\"say \"\"hi\"\"\"")
        XCTAssertEqual(RunExport.quoted("two\nlines"), "\"two\nlines\"")
        XCTAssertEqual(RunExport.quoted("plain"), "plain")
        XCTAssertEqual(RunExport.quoted("crlf\r\nonly"), "\"crlf\r\nonly\"")
        XCTAssertEqual(parse(RunExport.quoted("a,\"b\"\r\nc") + ",x\r\n"), [["a,\"b\"\r\nc", "x"]])
    }

    func testSpecsSpreadIntoOneColumnPerLeaf() {
        let spec = ConfigValue.string(#"{"method":"clip-adam","lr":0.001,"clip":1,"nested":{"on":true},"list":[1,2]}"#)
        XCTAssertEqual(RunExport.fields(of: spec, named: "config.optimizer").map { "\($0.0)=\($0.1)" },
                       ["config.optimizer.clip=1", "config.optimizer.list=[1,2]", "config.optimizer.lr=0.001",
                        "config.optimizer.method=clip-adam", "config.optimizer.nested.on=true"])
        XCTAssertEqual(RunExport.fields(of: .string("sample"), named: "config.data").map(\.1), ["sample"])
        XCTAssertEqual(RunExport.fields(of: .list([.int(50), .int(100)]), named: "config.lengths").map(\.1), ["[50,100]"])
    }

    func testNumbersAreWrittenAsTheShortestTextThatReadsBack() {
        XCTAssertEqual([Double.nan, .infinity, -.infinity, 3, 0.1, 1e-5].map(RunExport.cell), ["nan", "inf", "-inf", "3", "0.1", "1e-05"])
        XCTAssertEqual(Double(RunExport.cell(0.1 + 0.2)), 0.1 + 0.2)
    }

    func testUnfinishedRunsAreCountedAndLeftOut() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let workspace = sandbox.workspace()
        let experiments = try workspace.experiments(LeastSquaresDemo(), scale: .quick)
        let export = try RunExport(experiments, store: workspace.store)
        XCTAssertEqual(export.rows.count, 0)
        XCTAssertEqual(export.missing, experiments.flatMap(\.runs).count)
    }
}
