import Figures
import Suite

/// Figures of the synthetic experiment, one of each kind per noise model in the sweep.
enum SyntheticFigures {
    static let requests = [
        FigureRequest(id: "synthetic-gap-quantiles", title: "f(x_k) − f*: median and 5–95 % band over runs, per noise model",
                      experiments: [SyntheticExperiment.id]) { results in
            try byNoise(results).map { noise, groups in
                FigureSpec(id: "gap-quantiles-\(slug(noise))", title: "Quadratic, \(noise) noise: f(x_k) - f* (median, 5-95% over runs)",
                           xLabel: "iteration k", yLabel: "f(x_k) - f*", logY: true, legend: .outside,
                           series: try groups.map { try results.quantileBandSeries(SyntheticExperiment.id, group: $0.group, metric: "gap", title: $0.method) })
            }
        },
        FigureRequest(id: "synthetic-gap-q95", title: "0.95-quantile of f(x_k) − f* over runs, per noise model",
                      experiments: [SyntheticExperiment.id]) { results in
            try byNoise(results).map { noise, groups in
                FigureSpec(id: "gap-q95-\(slug(noise))", title: "Quadratic, \(noise) noise: 0.95-quantile of f(x_k) - f* over runs",
                           xLabel: "iteration k", yLabel: "q_{0.95} of f(x_k) - f*", logY: true, legend: .outside,
                           series: try groups.map { g in
                               let rows = try results.quantilesAlongRun(SyntheticExperiment.id, group: g.group, metric: "gap", probabilities: [0.95])
                               return Series(title: g.method, points: rows.map { .init(x: $0.x, y: $0.quantiles[0]) })
                           })
            }
        },
        FigureRequest(id: "synthetic-final-ccdf", title: "Distribution of the final gap over runs (empirical CCDF), per noise model",
                      experiments: [SyntheticExperiment.id]) { results in
            try byNoise(results).map { noise, groups in
                FigureSpec(id: "final-gap-ccdf-\(slug(noise))", title: "Quadratic, \(noise) noise: P(final f(x) - f* > v) over runs",
                           xLabel: "v", yLabel: "fraction of runs", logX: true, logY: true, legend: .outside,
                           series: try groups.map { try results.ccdfSeries(SyntheticExperiment.id, group: $0.group, metric: "gap", title: $0.method) })
            }
        },
    ]

    /// Run groups ("noise=… method=…") split by noise, in sweep order.
    static func byNoise(_ results: ResultSet) throws -> [(noise: String, groups: [(group: String, method: String)])] {
        var order: [String] = [], members: [String: [(String, String)]] = [:]
        for group in try results.groups(SyntheticExperiment.id) {
            guard let (noise, method) = parse(group) else { continue }
            if members[noise] == nil { order.append(noise) }
            members[noise, default: []].append((group, method))
        }
        return order.map { ($0, members[$0]!.map { (group: $0.0, method: $0.1) }) }
    }

    static func parse(_ group: String) -> (noise: String, method: String)? {
        guard group.hasPrefix("noise="), let split = group.range(of: " method=") else { return nil }
        return (String(group[group.index(group.startIndex, offsetBy: 6)..<split.lowerBound]), String(group[split.upperBound...]))
    }

    static func slug(_ noise: String) -> String {
        String(noise.map { $0.isLetter || $0.isNumber ? $0 : "-" }).split(separator: "-").joined(separator: "-")
    }
}
