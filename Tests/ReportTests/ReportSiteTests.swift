import Demo
import Foundation
import XCTest
@testable import Suite
import TestSupport
@testable import Report

final class ReportSiteTests: XCTestCase {
    func testReportRefusesToReplaceAFolderItDidNotWrite() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        var workspace = sandbox.workspace()
        workspace.reportDirectory = sandbox.root.appendingPathComponent("notes")
        let precious = workspace.reportDirectory.appendingPathComponent("thesis.tex")
        try FileManager.default.createDirectory(at: workspace.reportDirectory, withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: precious)

        XCTAssertThrowsError(try workspace.report([LeastSquaresDemo()])) { error in
            XCTAssertTrue("\(error)".contains("\(workspace.reportDirectory.path) exists and was not written by `repro report`"), "\(error)")
        }
        XCTAssertEqual(try String(contentsOf: precious, encoding: .utf8), "keep me")
    }

    func testReportRefusesAFileAsItsOutputBeforeAnyWork() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        var workspace = sandbox.workspace()
        workspace.reportDirectory = sandbox.root.appendingPathComponent("r.html")
        try Data("keep".utf8).write(to: workspace.reportDirectory)

        XCTAssertThrowsError(try workspace.report([LeastSquaresDemo()])) { error in
            XCTAssertTrue("\(error)".contains("\(workspace.reportDirectory.path) is a file"), "\(error)")
        }
        XCTAssertEqual(try String(contentsOf: workspace.reportDirectory, encoding: .utf8), "keep", "the user's file is untouched")
        XCTAssertFalse(FileManager.default.fileExists(atPath: workspace.store.root.path), "refused before any run was computed")
    }

    func testWritingAgainReplacesThePreviousReportWhole() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try sandbox.commitDemoOutputs()
        let workspace = sandbox.workspace()
        let page = try workspace.report([LeastSquaresDemo()]).page
        let stale = workspace.reportDirectory.appendingPathComponent("figures/demo-least-squares/full/dropped.svg")
        try Data("<svg/>".utf8).write(to: stale)

        XCTAssertEqual(try workspace.report([LeastSquaresDemo()]).page, page)
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale.path), "a figure no longer drawn leaves the report")
        XCTAssertTrue(FileManager.default.fileExists(atPath: workspace.reportDirectory.appendingPathComponent("figures/demo-least-squares/full/loss.svg").path))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: sandbox.root.path).filter { $0.hasPrefix(".report") }
        XCTAssertEqual(leftovers, [], "no staging or previous folder is left beside it")
    }
}
