import XCTest
@testable import Suite

final class TableRequestTests: XCTestCase {
    func testNoteFollowsTheTableInMarkdownAndStaysOutOfTheCSV() {
        let table = ResultTable(id: "t", title: "T", columns: ["a"], rows: [["1"]], note: "How to read it.")
        XCTAssertEqual(table.markdown, "**T**\n\n| a |\n| --- |\n| 1 |\n\nHow to read it.\n")
        XCTAssertEqual(table.csv, "a\n1\n")
    }

    func testCSVQuotesCellsWithCommasAndMarkdownEscapesPipes() {
        let table = ResultTable(id: "t", title: "T", columns: ["noise", "q0.9"], rows: [["pareto(1.5), σ=1", "0.5"], ["a|b", "inf"]])
        XCTAssertEqual(table.csv, "noise,q0.9\n\"pareto(1.5), σ=1\",0.5\na|b,inf\n")
        XCTAssertEqual(table.markdown, "**T**\n\n| noise | q0.9 |\n| --- | --- |\n| pareto(1.5), σ=1 | 0.5 |\n| a\\|b | inf |\n")
    }

    func testCellsRoundToSignificantDigitsAndShowDivergenceAsInf() {
        XCTAssertEqual(ResultTable.cell(1.79413), "1.79")
        XCTAssertEqual(ResultTable.cell(1.79413, digits: 4), "1.794")
        XCTAssertEqual(ResultTable.cell(.infinity), "inf")
        XCTAssertEqual(ResultTable.cell(.nan), "nan")
        XCTAssertEqual(ResultTable.perSeed([1.80285, 1.77277, .infinity]), "1.803 1.773 inf")
    }

    func testWriteLeavesNoTemporaryFilesBehind() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("table-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try ResultTable(id: "t", title: "T", columns: ["a"], rows: [["1"]]).write(into: directory)
        XCTAssertEqual(files.map(\.lastPathComponent), ["t.csv", "t.md"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted(), ["t.csv", "t.md"])
    }

    func testCSVReadsBackWhatWasWrittenQuotesNewlinesAndAll() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("table-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let table = ResultTable(id: "claims", title: "T", columns: ["claim", "measured"],
                                rows: [["a", "q0.95: 0.012, ratio \"0.04\""], ["b", "line one\nline two"], ["c", ""]])
        let read = try ResultTable.read(csv: try table.write(into: directory)[0])
        XCTAssertEqual(read.columns, table.columns)
        XCTAssertEqual(read.rows, table.rows)
    }

    func testMalformedCSVNamesTheFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("claims-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data("claim,verdict\na,holds,extra\n".utf8).write(to: file)
        XCTAssertThrowsError(try ResultTable.read(csv: file)) { XCTAssertTrue("\($0)".contains("\(file.path): record 2 has 3 cells, the header has 2"), "\($0)") }
        try Data("claim,verdict\n\"a,holds\n".utf8).write(to: file)
        XCTAssertThrowsError(try ResultTable.read(csv: file)) { XCTAssertTrue("\($0)".contains("a quoted cell is never closed"), "\($0)") }
    }
}
