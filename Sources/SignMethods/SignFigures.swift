import Figures
import Suite

/// Figures of the sign-methods reproduction, one of each kind per noise model.
enum SignFigures {
    /// Methods run on M simulated workers carry "M=" in their name; they get figures of their own,
    /// with single-worker SignSGD as the M = 1 reference.
    @Sendable static func isVoting(_ method: String) -> Bool { method.contains("M=") || method == "SignSGD" }
    @Sendable static func isSingleWorker(_ method: String) -> Bool { !method.contains("M=") }

    static let requests: [FigureRequest] = [
        perNoise(SignSyntheticExperiment.id, "grad-norm-single", "single worker: |grad f(x_k)| (median, 5-95% over runs)",
                 select: isSingleWorker) { results, groups in
            try groups.map { try results.quantileBandSeries(SignSyntheticExperiment.id, group: $0.group, metric: "grad_norm", title: $0.inner) }
        },
        perNoise(SignSyntheticExperiment.id, "grad-norm-voting", "M workers: |grad f(x_k)| (median, 5-95% over runs)", select: isVoting) { results, groups in
            try groups.map { try results.quantileBandSeries(SignSyntheticExperiment.id, group: $0.group, metric: "grad_norm", title: $0.inner) }
        },
        perNoise(SignSyntheticExperiment.id, "grad-norm-q95-vs-bits", "0.95-quantile of |grad f| against bits sent per worker",
                 select: { _ in true }, xLabel: "bits sent per worker", logX: true) { results, groups in
            try groups.map { g in
                let rows = try results.quantilesAlongRun(SignSyntheticExperiment.id, group: g.group, metric: "grad_norm", x: "bits", probabilities: [0.95])
                return Series(title: g.inner, points: rows.filter { $0.x > 0 }.map { .init(x: $0.x, y: $0.quantiles[0]) })
            }
        },
        perNoise(SignSyntheticExperiment.id, "final-grad-norm-ccdf", "P(final |grad f| > v) over runs", select: { _ in true },
                 xLabel: "v", logX: true) { results, groups in
            try groups.map { try results.ccdfSeries(SignSyntheticExperiment.id, group: $0.group, metric: "grad_norm", title: $0.inner) }
        },
        perNoise(ComparisonExperiment.id, "comparison-gap", "comparison oracle: f(x) - f* (median, 5-95% over runs)",
                 select: { _ in true }, xLabel: "oracle calls (comparisons, or pairs of values)") { results, groups in
            try groups.map { try results.quantileBandSeries(ComparisonExperiment.id, group: $0.group, metric: "gap", title: $0.inner) }
        },
    ]

    /// Validation loss of the language model against steps and against bits sent per worker.
    static let languageModel: [FigureRequest] = [("step", "step", false), ("bits", "bits sent per worker", true)].map { x, label, logX in
        FigureRequest(id: "lm-val-loss-vs-\(x)", title: "lm: validation loss against \(label) (median, min-max over seeds)",
                      experiments: [LanguageModelExperiment.id]) { results in
            [FigureSpec(id: "lm-val-loss-vs-\(x)", title: "Tiny Shakespeare, LLaMA-style decoder: validation loss against \(label) \(try results.scaleTag(LanguageModelExperiment.id))",
                        xLabel: label, yLabel: "validation loss", logX: logX, legend: .topRight,
                        series: try results.groups(LanguageModelExperiment.id, by: "method").map { group, method in
                            let series = try results.quantileBandSeries(LanguageModelExperiment.id, group: group, metric: "val_loss", x: x,
                                                                        title: method, band: (0, 1))
                            return logX ? Series(title: series.title, points: series.points.filter { $0.x > 0 }, style: series.style) : series
                        })]
        }
    }

    /// One figure per noise model of `experiment`, over the methods `select` keeps.
    static func perNoise(_ experiment: String, _ id: String, _ title: String, select: @escaping @Sendable (String) -> Bool,
                         xLabel: String = "iteration k", logX: Bool = false,
                         series: @escaping @Sendable (ResultSet, [(group: String, inner: String)]) throws -> [Series]) -> FigureRequest {
        FigureRequest(id: id, title: title, experiments: [experiment]) { results in
            try results.groups(experiment, outer: "noise", inner: "method").map { noise, groups in
                FigureSpec(id: "\(id)-\(RunGroup.slug(noise))", title: "\(noise) noise, \(title) \(try results.scaleTag(experiment))", xLabel: xLabel,
                           yLabel: id.hasPrefix("comparison") ? "f(x) - f*" : "|grad f(x)|", logX: logX, logY: true, legend: .outside,
                           series: try series(results, groups.filter { select($0.inner) }))
            }
        }
    }
}
