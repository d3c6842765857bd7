import Foundation
import Suite

/// The claims `repro figures` wrote to `claims.json` at one scale (the committed full-scale file,
/// in a fresh clone), by claim.
struct WrittenClaims {
    let results: [String: ClaimResult]
    /// The file, relative to the project folder.
    let path: String

    init(json url: URL, path: String) throws {
        let file = try ClaimsFile.read(url)
        results = Dictionary(file.claims.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.path = path
    }

    /// The written result of `claim`, judged with the deviation the code declares now.
    func evidence(for claim: Claim, at scale: Scale) -> ReportClaim.Evidence? {
        guard let result = results[claim.id] else { return nil }
        return ReportClaim.Evidence(verdict: result.verdict(knownDeviation: claim.knownDeviation(at: scale)), measured: result.measured,
                                    runs: result.runs, intervals: result.intervals, readFrom: path)
    }
}
