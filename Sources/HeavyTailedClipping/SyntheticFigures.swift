import Figures
import Suite

/// Figures of the quadratic experiments, one of each kind per noise model in the sweep.
enum SyntheticFigures {
    static let requests = figures(SyntheticExperiment.paperID, prefix: "paper-quadratic-", problem: "1-d quadratic (paper's setting)",
                                  band: (0.1, 0.9))
        + figures(SyntheticExperiment.id, prefix: "", problem: "Quadratic", band: (0.05, 0.95))

    /// Median with a quantile band, the 0.95-quantile along the run, and the CCDF of the final gap.
    /// The paper's own figure shows the 10–90 % band, so its experiment keeps that band.
    static func figures(_ experiment: String, prefix: String, problem: String, band: (Double, Double)) -> [FigureRequest] {
        let percent = "\(Int(band.0 * 100))-\(Int(band.1 * 100))%"
        return [
            FigureRequest(id: "\(experiment)-gap-quantiles", title: "f(x_k) − f*: median and \(percent) band over runs, per noise model",
                          experiments: [experiment]) { results in
                try byNoise(results, experiment).map { noise, groups in
                    FigureSpec(id: "\(prefix)gap-quantiles-\(slug(noise))",
                               title: "\(problem), \(noise) noise: f(x_k) - f* (median, \(percent) over runs) \(try results.scaleTag(experiment))",
                               xLabel: "iteration k", yLabel: "f(x_k) - f*", logY: true, legend: .outside,
                               series: try groups.map {
                                   try results.quantileBandSeries(experiment, group: $0.group, metric: "gap", title: $0.method, band: band)
                               })
                }
            },
            FigureRequest(id: "\(experiment)-gap-q95", title: "0.95-quantile of f(x_k) − f* over runs, per noise model",
                          experiments: [experiment]) { results in
                try byNoise(results, experiment).map { noise, groups in
                    FigureSpec(id: "\(prefix)gap-q95-\(slug(noise))", title: "\(problem), \(noise) noise: 0.95-quantile of f(x_k) - f* over runs \(try results.scaleTag(experiment))",
                               xLabel: "iteration k", yLabel: "q_{0.95} of f(x_k) - f*", logY: true, legend: .outside,
                               series: try groups.map { g in
                                   let rows = try results.quantilesAlongRun(experiment, group: g.group, metric: "gap", probabilities: [0.95])
                                   return Series(title: g.method, points: rows.map { .init(x: $0.x, y: $0.quantiles[0]) })
                               })
                }
            },
            FigureRequest(id: "\(experiment)-final-ccdf", title: "Distribution of the final gap over runs (empirical CCDF), per noise model",
                          experiments: [experiment]) { results in
                try byNoise(results, experiment).map { noise, groups in
                    FigureSpec(id: "\(prefix)final-gap-ccdf-\(slug(noise))", title: "\(problem), \(noise) noise: P(final f(x) - f* > v) over runs \(try results.scaleTag(experiment))",
                               xLabel: "v", yLabel: "fraction of runs", logX: true, logY: true, legend: .outside,
                               series: try groups.map { try results.ccdfSeries(experiment, group: $0.group, metric: "gap", title: $0.method) })
                }
            },
        ]
    }

    /// Run groups of one experiment split by noise, in sweep order.
    static func byNoise(_ results: ResultSet, _ experiment: String) throws -> [(noise: String, groups: [(group: String, method: String)])] {
        try results.groups(experiment, outer: "noise", inner: "method").map { ($0.outer, $0.groups.map { (group: $0.group, method: $0.inner) }) }
    }

    /// Whether a noise's runs (any of its groups) draw Gaussian noise, the light-tailed control.
    static func isGaussian(_ results: ResultSet, _ experiment: String, _ groups: [(group: String, method: String)]) throws -> Bool {
        try results.runs(experiment, group: groups[0].group)[0].typed(SyntheticExperiment.Run.self).noise.kind == .gaussian
    }

    static func slug(_ noise: String) -> String { RunGroup.slug(noise) }
}
