import Demo
import Foundation
import Papers
import Suite
import XCTest

/// The full-scale `claims.json` each paper commits is what the report of a fresh clone shows: it
/// must read, and speak of exactly the claims the paper declares now.
final class CommittedClaimsTests: XCTestCase {
    func testEveryCommittedClaimsFileReadsAndNamesThePapersClaims() throws {
        // The demo runs in seconds at either scale and commits no full-scale results; every other
        // target must, so that a missing file names the target rather than only a count.
        for paper in Catalog.reproductions where paper.id != LeastSquaresDemo().id {
            let url = RunKeyDigestTests.packageRoot.appendingPathComponent("plots/\(paper.id)/\(ClaimsFile.name).json")
            guard FileManager.default.fileExists(atPath: url.path) else {
                XCTFail("\(paper.id) commits no \(url.lastPathComponent): run it at full scale and `repro figures \(paper.id) --scale full`")
                continue
            }
            let file = try ClaimsFile.read(url)
            XCTAssertEqual(file.paper, paper.id)
            XCTAssertEqual(file.scale, .full)
            XCTAssertEqual(file.claims.map(\.id), paper.claims.map(\.id), "\(paper.id): regenerate with `repro figures \(paper.id) --scale full`")
        }
    }

    func testEveryClaimNamesExperimentsItsPaperHas() throws {
        let reproductions = RunKeyDigestTests.packageRoot.appendingPathComponent("reproductions")
        for paper in Catalog.reproductions {
            let experiments = Set(try paper.experiments(scale: .quick, configDirectory: reproductions.appendingPathComponent(paper.id)).map(\.id))
            for claim in paper.claims {
                XCTAssertFalse(claim.experiments.isEmpty, "\(paper.id) \(claim.id)")
                XCTAssertTrue(Set(claim.experiments).isSubset(of: experiments), "\(paper.id) \(claim.id): \(claim.experiments)")
            }
        }
    }
}
