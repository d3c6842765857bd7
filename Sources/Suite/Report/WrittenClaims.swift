import Foundation

/// The verdicts a `claims.csv` holds, as `ClaimTable` wrote them at one scale (the committed
/// full-scale one, in a fresh clone), by claim.
struct WrittenClaims {
    let rows: [String: (verdict: String, measured: String, runs: String, intervals: String)]
    /// The file, relative to the project folder.
    let path: String

    init(csv url: URL, path: String) throws {
        let table = try ResultTable.read(csv: url)
        let needed = ["claim", "verdict", "measured"]
        let index = try needed.map { column in
            guard let i = table.columns.firstIndex(of: column) else {
                throw SuiteError("\(path): no column '\(column)' (has: \(table.columns.joined(separator: ", "))); regenerate it with `repro figures`")
            }
            return i
        }
        // Tables written before claims had intervals lack these two columns.
        let (runs, intervals) = (table.columns.firstIndex(of: "runs"), table.columns.firstIndex(of: "intervals"))
        rows = Dictionary(table.rows.map { row in
            (row[index[0]], (verdict: row[index[1]], measured: row[index[2]], runs: runs.map { row[$0] } ?? "", intervals: intervals.map { row[$0] } ?? ""))
        }, uniquingKeysWith: { first, _ in first })
        self.path = path
    }

    func evidence(for claim: Claim, at scale: Scale) throws -> ReportClaim.Evidence? {
        guard let row = rows[claim.id] else { return nil }
        guard let verdict = ClaimVerdict(tableText: row.verdict, knownDeviation: claim.knownDeviation(at: scale), detail: row.measured) else {
            throw SuiteError("\(path): claim \(claim.id) has the verdict '\(row.verdict)', which is none `repro figures` writes; regenerate the file")
        }
        return ReportClaim.Evidence(verdict: verdict, measured: row.measured, runs: row.runs, intervals: row.intervals, readFrom: path)
    }
}
