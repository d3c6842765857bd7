/// A table of a paper's claims evaluated on the runs of the scale being drawn (`claims.md` next to
/// the figures), so a README can quote the full-scale verdicts that `repro check`, which runs the
/// quick scale, never computes.
public enum ClaimTable {
    /// The columns of `claims.md`/`claims.csv`, which the report reads back.
    public static let columns = ["claim", "paper", "statement", "verdict", "measured", "runs", "intervals"]

    /// How the estimates and verdicts are read: the legend of `claims.md`, the report and the README.
    public static let legend = "Each claim compares estimated quantities with thresholds. An estimate is shown with its 95 % "
        + "confidence interval over the runs: a t interval for means (paired by seed when both sides ran the same seeds; "
        + "Fieller's for a ratio of means), a seeded percentile bootstrap (4000 resamples, paired by seed) for medians and "
        + "quantiles (given at least 10 runs a side), a least-squares t interval for growth exponents, Hill's normal band for a tail index. A claim holds when every interval lies on its side "
        + "of the threshold, fails when one lies on the other side, and is inconclusive when an interval reaches its threshold."

    public static func request(_ claims: [Claim], experiments: [String]) -> TableRequest {
        TableRequest(id: "claims", title: "the paper's claims evaluated on these runs", experiments: experiments) { results in
            let rows = claims.map { claim -> [String] in
                let e = ClaimVerdict.of(claim, on: results, kernelOutcomes: results.kernelOutcomes[claim.id])
                return [claim.id, claim.source, claim.statement, e.verdict.tableText, e.measured, e.runs, e.intervals]
            }
            return [ResultTable(id: "claims", title: "claims at \(results.scale.rawValue) scale", columns: columns, rows: rows, note: legend)]
        }
    }
}
