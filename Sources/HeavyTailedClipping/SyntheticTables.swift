import Suite

/// The numbers the README quotes: mean and quantiles of the final gap per noise and method, the
/// high-probability view of §4 (how the upper quantiles, not only the mean, depend on the method).
enum SyntheticTables {
    static let requests = [table(SyntheticExperiment.paperID), table(SyntheticExperiment.id)]

    static func table(_ experiment: String) -> TableRequest {
        TableRequest(id: "\(experiment)-final-gap", title: "final f(x) − f*: mean and quantiles over runs", experiments: [experiment]) { results in
            let groups = try SyntheticFigures.byNoise(results, experiment).flatMap { noise, groups in
                groups.map { (group: $0.group, label: [noise, $0.method]) }
            }
            return [ResultTable(id: "\(experiment)-final-gap", title: "\(experiment): final f(x) - f* over runs \(try results.scaleTag(experiment))",
                                columns: ["noise", "method", "runs", "diverged", "mean", "q0.5", "q0.9", "q0.95", "q0.99"],
                                rows: try results.finalQuantileRows(experiment, groups: groups, metric: "gap",
                                                                    probabilities: [0.5, 0.9, 0.95, 0.99]))]
        }
    }
}
