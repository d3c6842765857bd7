import Engine
import Suite

/// Mean and quantiles of the final metric per noise and method, as the README quotes them.
enum SignTables {
    static let requests = [
        table(SignSyntheticExperiment.id, metric: "grad_norm", title: "final |grad f(x)| over runs"),
        table(ComparisonExperiment.id, metric: "gap", title: "final f(x) - f* over runs"),
        TableRequest(id: "lm-final", title: "final validation loss and bits per method", experiments: [LanguageModelExperiment.id]) { results in
            let rows = try results.groups(LanguageModelExperiment.id, by: "method").map { group, method -> [String] in
                let validation = try results.finalValues(LanguageModelExperiment.id, group: group, metric: "val_loss")
                let bits = try results.finalValues(LanguageModelExperiment.id, group: group, metric: "bits")
                return [method, String(validation.count), ResultTable.cell(Quantiles.of(validation, 0.5), digits: 4),
                        ResultTable.cell(validation.min()!, digits: 4), ResultTable.cell(validation.max()!, digits: 4), ResultTable.perSeed(validation),
                        ResultTable.cell(bits[0])]
            }
            return [ResultTable(id: "lm-final", title: "lm: final validation loss over seeds \(try results.scaleTag(LanguageModelExperiment.id))",
                                columns: ["method", "seeds", "val median", "val min", "val max", "val per seed", "bits per worker"], rows: rows)]
        },
    ]

    static func table(_ experiment: String, metric: String, title: String) -> TableRequest {
        TableRequest(id: "\(experiment)-final", title: title, experiments: [experiment]) { results in
            let groups = try results.groups(experiment, outer: "noise", inner: "method").flatMap { noise, groups in
                groups.map { (group: $0.group, label: [noise, $0.inner]) }
            }
            return [ResultTable(id: "\(experiment)-final", title: "\(experiment): \(title) \(try results.scaleTag(experiment))",
                                columns: ["noise", "method", "runs", "diverged", "mean", "q0.5", "q0.9", "q0.95", "q0.99"],
                                rows: try results.finalQuantileRows(experiment, groups: groups, metric: metric,
                                                                    probabilities: [0.5, 0.9, 0.95, 0.99]))]
        }
    }
}
