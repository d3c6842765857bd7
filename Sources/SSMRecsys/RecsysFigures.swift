import Engine
import Figures
import Suite

/// Figures of the SSM recommender reproduction: validation curves and the length scaling.
enum RecsysFigures {
    /// Per epoch, the median and min–max of `metric` over the seeds that trained that long (runs
    /// stop early at different epochs).
    static func curve(_ results: ResultSet, _ model: String, _ metric: String) throws -> Series {
        let group = QualityExperiment.group(model)
        let epochs = try results.metricValues(QualityExperiment.id, group: group, metric: "epoch")
        let values = try results.metricValues(QualityExperiment.id, group: group, metric: metric)
        let longest = epochs.max { $0.count < $1.count } ?? []
        let points = longest.indices.map { row -> Series.Point in
            let seeds = values.compactMap { row < $0.count ? $0[row] : nil }
            return .init(x: longest[row], y: Quantiles.of(seeds, 0.5), low: seeds.min(), high: seeds.max())
        }
        return Series(title: model, points: points)
    }

    /// "3 seeds" (or "2/3 seeds" when models differ) over the trained models; the popularity
    /// ranking is deterministic and has one run.
    static func seeds(_ results: ResultSet) throws -> String {
        let trained = try results.models(QualityExperiment.id).filter { $0 != SSMRecsys.popularity }
        let counts = Set(try trained.map { try results.runs(QualityExperiment.id, group: QualityExperiment.group($0)).count })
        return counts.sorted().map(String.init).joined(separator: "/") + " seeds"
    }

    static let requests: [FigureRequest] = [
        FigureRequest(id: "validation-ndcg", title: "quality: validation NDCG@10 per epoch, per model", experiments: [QualityExperiment.id]) { results in
            let models = try results.models(QualityExperiment.id).filter { $0 != SSMRecsys.popularity }
            let series = try models.map { try curve(results, $0, "val_ndcg@10") }
            return [FigureSpec(id: "validation-ndcg",
                               title: "Video Games: validation NDCG@10 per epoch (median, min-max over seeds) [\(results.scale.rawValue) scale, \(try seeds(results))]",
                               xLabel: "epoch", yLabel: "validation NDCG@10", legend: .bottomRight, series: series)]
        },
        FigureRequest(id: "length-scaling", title: "efficiency: training and inference time and memory against the sequence length",
                      experiments: [EfficiencyExperiment.id]) { results in
            let models = try results.models(EfficiencyExperiment.id)
            let all = try models.map { ($0, try results.efficiency($0)) }
            func figure(_ id: String, _ what: String, _ yLabel: String, _ values: (EfficiencyResult) -> [Double],
                        _ exponent: (EfficiencyResult) -> Double) -> FigureSpec {
                FigureSpec(id: id, title: "\(what) against sequence length, log-log (exponent of the fit in the legend) [\(results.scale.rawValue) scale, 1 run per model]",
                           xLabel: "sequence length L", yLabel: yLabel, logX: true, logY: true, legend: .topLeft,
                           series: all.map { name, e in
                               Series(title: "\(name) (L^\(ResultTable.cell(exponent(e), digits: 2)))",
                                      points: zip(e.lengths, values(e)).map { .init(x: Double($0), y: $1) }, style: .linesPoints)
                           })
            }
            return [
                figure("length-scaling-train-time", "Training step time", "seconds per training step (median)", \.trainSeconds, \.trainTimeExponent),
                figure("length-scaling-inference-time", "Inference time (full ranking)", "seconds per 1000 users", \.inferenceSeconds, \.inferenceTimeExponent),
                figure("length-scaling-train-memory", "Peak tensor memory of a training step", "MB",
                       { $0.trainBytes.map { $0 / 1_048_576 } }, \.trainMemoryExponent),
            ]
        },
    ]
}
