/// A table of a paper's claims evaluated on the runs of the scale being drawn (`claims.md` next to
/// the figures), so a README can quote the full-scale verdicts that `repro check`, which runs the
/// quick scale, never computes.
public enum ClaimTable {
    /// The columns of `claims.md`/`claims.csv`, which the report reads back.
    public static let columns = ["claim", "paper", "statement", "verdict", "measured"]

    public static func request(_ claims: [Claim], experiments: [String]) -> TableRequest {
        TableRequest(id: "claims", title: "the paper's claims evaluated on these runs", experiments: experiments) { results in
            let rows = claims.map { claim -> [String] in
                let (verdict, measured) = ClaimVerdict.of(claim, on: results, kernelOutcomes: results.kernelOutcomes[claim.id])
                return [claim.id, claim.source, claim.statement, verdict.tableText, measured]
            }
            return [ResultTable(id: "claims", title: "claims at \(results.scale.rawValue) scale",
                                columns: columns, rows: rows)]
        }
    }
}
