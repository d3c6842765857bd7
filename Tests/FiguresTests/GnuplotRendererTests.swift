import Foundation
import XCTest
@testable import Figures

final class GnuplotRendererTests: XCTestCase {
    func spec() -> FigureSpec {
        FigureSpec(id: "gap", title: "Gap of x_k", xLabel: "iteration", yLabel: "f(x) - f*", logY: true, series: [
            Series(title: "AdaGrad", points: [.init(x: 0, y: 10, low: 8, high: 12), .init(x: 1, y: 5, low: 4, high: 7)]),
            Series(title: "Clip \"RAdaGradD\"", points: [.init(x: 0, y: 10), .init(x: 1, y: .nan), .init(x: 2, y: 0.25)], style: .points),
        ])
    }

    func testCSVHasOneRowPerFinitePointWithItsSeriesNumber() {
        XCTAssertEqual(GnuplotScript.csv(spec()), """
        series,x,y,low,high
        1,0,10,8,12
        1,1,5,4,7
        2,0,10,,
        2,2,0.25,,

        """)
    }

    func testScriptDrawsBandsOnlyForSeriesThatHaveThemAndEscapesTitles() {
        let script = GnuplotScript.script(spec())
        XCTAssertTrue(script.contains("($1 == 1 ? $2 : NaN):4:5 with filledcurves"))
        XCTAssertFalse(script.contains("($1 == 2 ? $2 : NaN):4:5"))
        XCTAssertTrue(script.contains("title \"Clip \\\"RAdaGradD\\\"\""))
        XCTAssertTrue(script.contains("set logscale y"))
        XCTAssertFalse(script.contains("set logscale x"))
        XCTAssertTrue(script.contains("set output 'gap.png'") && script.contains("set output 'gap.svg'"))
    }

    func testSeriesPastThePaletteGetDashesSoNoTwoLookAlike() {
        let series = (0..<23).map { Series(title: "s\($0)", points: [.init(x: 0, y: 1)], style: $0 == 12 ? .dashed : .lines) }
        let lines = GnuplotScript.script(FigureSpec(id: "many", title: "many", xLabel: "x", yLabel: "y", series: series))
            .split(separator: "\n").filter { $0.contains("title \"s") }
        XCTAssertEqual(lines.count, 23)
        XCTAssertFalse(lines[9].contains(" dt "))
        XCTAssertTrue(lines[10].contains("lc rgb '#1f77b4' dt 2 title"), String(lines[10]))
        XCTAssertTrue(lines[12].contains("with lines dt 2 lw 2") && !lines[12].contains("' dt"), "a dashed style keeps its own dashes")
        XCTAssertTrue(lines[22].contains("' dt 3 title"), String(lines[22]))
    }

    func testTitleReadsBackFromTheScriptUnescaped() {
        XCTAssertEqual(GnuplotScript.title(ofScript: GnuplotScript.script(spec())), "Gap of x_k")
        XCTAssertNil(GnuplotScript.title(ofScript: "set title 'hand-written'\n"))
    }

    func testRendersPNGAndSVGWithRealGnuplot() throws {
        let renderer = GnuplotRenderer()
        guard renderer.locate() != nil else {
            throw XCTSkip("gnuplot not installed (run scripts/setup); the rendering test needs it")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("figures-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (png, svg) = try renderer.render(spec(), into: dir)
        let pngBytes = try Data(contentsOf: png)
        XCTAssertEqual(Array(pngBytes.prefix(4)), [0x89, 0x50, 0x4E, 0x47], "PNG signature")
        XCTAssertTrue(try String(contentsOf: svg, encoding: .utf8).contains("<svg"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("gap.gp").path))
    }

    func testMissingGnuplotSaysHowToInstallIt() {
        let renderer = GnuplotRenderer(executable: "/nonexistent/gnuplot")
        XCTAssertThrowsError(try renderer.render(spec(), into: FileManager.default.temporaryDirectory)) { error in
            XCTAssertTrue("\(error)".contains("apt-get install gnuplot-nox"), "\(error)")
        }
    }

    func testEmptyFigureIsAnError() {
        let empty = FigureSpec(id: "none", title: "t", xLabel: "x", yLabel: "y", series: [Series(title: "a", points: [])])
        XCTAssertThrowsError(try GnuplotRenderer().render(empty, into: FileManager.default.temporaryDirectory))
    }

    func testAGnuplotThatHangsIsStoppedWithAClearMessage() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hang-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let fake = folder.appendingPathComponent("gnuplot")
        try Data("#!/bin/sh\nsleep 30\n".utf8).write(to: fake)
        XCTAssertEqual(chmod(fake.path, 0o755), 0)
        let spec = FigureSpec(id: "f", title: "t", xLabel: "x", yLabel: "y", series: [Series(title: "s", points: [.init(x: 1, y: 1), .init(x: 2, y: 2)])])
        let start = Date()
        XCTAssertThrowsError(try GnuplotRenderer(executable: fake.path, timeout: 1).render(spec, into: folder)) { error in
            XCTAssertTrue("\(error)".contains("gnuplot did not finish \(folder.path)/f.gp in 1 s and was stopped"), "\(error)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 10, "stopped at the timeout, not after the program's 30 s")
    }
}
