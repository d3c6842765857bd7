import Engine
import Figures
import Suite
import Tasks

/// Figures of the SSM recommender reproduction: validation curves and the length scaling.
enum RecsysFigures {
    /// Per epoch, the median and min–max of `metric` over the seeds that trained that long (runs
    /// stop early at different epochs).
    static func curve(_ results: ResultSet, _ model: String, _ metric: String) throws -> Series {
        let group = QualityExperiment.group(model).name
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
        let counts = Set(try trained.map { try results.runs(QualityExperiment.id, group: QualityExperiment.group($0).name).count })
        return counts.sorted().map(String.init).joined(separator: "/") + " seeds"
    }

    /// Per evaluation index, the median over seeds of x and y with the seeds' min–max of y.
    static func alongRuns(_ runs: [[AdaptivePoint]], x: (AdaptivePoint) -> Double, y: (AdaptivePoint) -> Double) -> [Series.Point] {
        let rows = runs.map(\.count).min() ?? 0
        return (0..<rows).map { i in
            let ys = runs.map { y($0[i]) }
            return .init(x: Quantiles.of(runs.map { x($0[i]) }, 0.5), y: Quantiles.of(ys, 0.5), low: ys.min(), high: ys.max())
        }
    }

    static func adaptiveSeeds(_ results: ResultSet) throws -> String {
        let counts = Set(try results.groups(AdaptiveExperiment.id).map { try results.runs(AdaptiveExperiment.id, group: $0).count })
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
        FigureRequest(id: "recbole-validation-ndcg", title: "quality: validation NDCG@10 per epoch, ours against RecBole (full scale)",
                      experiments: [QualityExperiment.id]) { results in
            guard results.scale == .full else { return [] }
            var series: [Series] = [], seedCounts: Set<Int> = []
            for pair in RecBoleReference.models where try results.models(QualityExperiment.id).contains(pair.ours) {
                seedCounts.insert(try results.runs(QualityExperiment.id, group: QualityExperiment.group(pair.ours).name).count)
                var ours = try curve(results, pair.ours, "val_ndcg@10")
                ours.title = "\(pair.ours), ours"
                series.append(ours)
                if let reference = try RecBoleReference.of(pair.ours, in: results) {
                    series.append(Series(title: "\(pair.recbole), RecBole 1.2.1 (seed \(reference.seed))",
                                         points: reference.epochs.map { .init(x: Double($0.epoch), y: $0.validationNDCG) }, style: .dashed))
                }
            }
            return [FigureSpec(id: "recbole-validation-ndcg",
                               title: "Video Games: validation NDCG@10, ours (median, min-max of \(seedCounts.sorted().map(String.init).joined(separator: "/")) seeds) and RecBole 1.2.1 [full scale]",
                               xLabel: "epoch (one pass over every training target)", yLabel: "validation NDCG@10", legend: .bottomRight, series: series)]
        },
        FigureRequest(id: "length-scaling", title: "efficiency: training and inference time and memory against the sequence length",
                      experiments: [EfficiencyExperiment.id]) { results in
            let models = try results.models(EfficiencyExperiment.id)
            let all = try models.map { ($0, try results.efficiency($0)) }
            func figure(_ id: String, _ what: String, _ yLabel: String, _ values: (EfficiencyResult) -> [Double],
                        _ exponent: (EfficiencyResult) -> Double) -> FigureSpec {
                FigureSpec(id: id, title: "\(what) against sequence length, log-log (exponent of the fit in the legend) [\(results.scale.rawValue) scale, median of \(all.first?.1.repeats ?? 0) runs per model]",
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
        FigureRequest(id: "adaptive", title: "adaptive: validation NDCG@10 against training time, sequences and steps; batch size",
                      experiments: [AdaptiveExperiment.id]) { results in
            let tag = "[\(results.scale.rawValue) scale, \(try adaptiveSeeds(results))]"
            var figures: [FigureSpec] = []
            for (model, settings) in try results.adaptiveModels() {
                let slug = RunGroup.slug(model).lowercased()
                let runs = try settings.map { ($0.setting, try results.adaptivePoints(model, $0.setting)) }
                let target = try results.adaptiveTarget(model)
                func ndcg(_ id: String, _ name: String, _ axis: String, _ x: @escaping (AdaptivePoint) -> Double, logX: Bool = false) -> FigureSpec {
                    let budget = runs.flatMap { $0.1.flatMap { $0.map(x) } }.max() ?? 1
                    let targetLine = Series(title: "target: 95% of Adam's best (\(ResultTable.cell(target, digits: 4)))",
                                            points: [.init(x: logX ? 1 : 0, y: target), .init(x: budget, y: target)], style: .dashed)
                    return FigureSpec(id: "adaptive-\(slug)-ndcg-vs-\(id)",
                                      title: "\(model): validation NDCG@10 against \(name) \(tag)",
                                      xLabel: axis, yLabel: "validation NDCG@10 (median, min-max over seeds)", logX: logX, legend: .bottomRight,
                                      series: runs.map { Series(title: $0.0, points: alongRuns($0.1, x: x, y: \.ndcg), style: .linesPoints) } + [targetLine])
                }
                figures += [
                    ndcg("time", "training time", "training seconds (evaluation excluded)", \.seconds),
                    ndcg("sequences", "sequences seen", "training sequences processed", \.sequences),
                    ndcg("steps", "optimizer steps", "optimizer steps", \.steps, logX: true),
                    FigureSpec(id: "adaptive-\(slug)-batch-size", title: "\(model): batch size along the run \(tag)",
                               xLabel: "training sequences processed", yLabel: "batch size (sequences, median over seeds)", logY: true, legend: .topLeft,
                               series: runs.map { Series(title: $0.0, points: alongRuns($0.1, x: \.sequences, y: \.batch), style: .linesPoints) }),
                ]
            }
            return figures
        },
        FigureRequest(id: "orpo", title: "orpo: test NDCG@10 after fine-tuning against λ, and validation NDCG@10 per fine-tuning epoch",
                      experiments: [PreferenceExperiment.id]) { results in
            let methods = try results.fineTuningMethods()
            let seeds = Set(try results.groups(PreferenceExperiment.id).map { try results.runs(PreferenceExperiment.id, group: $0).count })
            let tag = "[\(results.scale.rawValue) scale, \(seeds.sorted().map(String.init).joined(separator: "/")) seeds]"
            let config = try results.experiment(PreferenceExperiment.id).runs
            var lambdas: [String: (RecommenderTraining.RejectedItem, Float)] = [:]
            for run in config {
                let method = try run.typed(PreferenceExperiment.FineTuning.self).method
                if let rejected = method.rejected, let lambda = method.lambda { lambdas[method.name] = (rejected, lambda) }
            }
            func points(_ rejected: RecommenderTraining.RejectedItem) throws -> [Series.Point] {
                try methods.compactMap { m -> Series.Point? in
                    guard let (r, lambda) = lambdas[m], r == rejected, lambda > 0 else { return nil }
                    let ndcg = try results.fineTuned(m, "best_test_ndcg@10")
                    return .init(x: Double(lambda), y: Summary(ndcg).mean, low: ndcg.min(), high: ndcg.max())
                }.sorted { $0.x < $1.x }
            }
            let xs = lambdas.values.map { Double($0.1) }
            let ce = try results.fineTuned(SSMRecsys.crossEntropy, "best_test_ndcg@10")
            let ceLine = Series(title: "CE fine-tuning (\(ResultTable.cell(Summary(ce).mean, digits: 4)))",
                                points: [.init(x: xs.min() ?? 0, y: Summary(ce).mean), .init(x: xs.max() ?? 1, y: Summary(ce).mean)], style: .dashed)
            let curves = try methods.map { m -> Series in
                let epochs = try results.metricValues(PreferenceExperiment.id, group: PreferenceExperiment.group(m).name, metric: "epoch")
                let values = try results.metricValues(PreferenceExperiment.id, group: PreferenceExperiment.group(m).name, metric: "val_ndcg@10")
                let rows = values.map(\.count).min() ?? 0
                return Series(title: m, points: (0..<rows).map { i in
                    let ys = values.map { $0[i] }
                    return .init(x: epochs[0][i], y: Quantiles.of(ys, 0.5), low: ys.min(), high: ys.max())
                }, style: .linesPoints)
            }
            return [
                FigureSpec(id: "orpo-test-ndcg-vs-lambda",
                           title: "\(try results.fineTunedModel()) fine-tuning: test NDCG@10 against λ \(tag)",
                           xLabel: "λ (weight of the odds-ratio term)", yLabel: "test NDCG@10 at best val. epoch (mean, min-max)", logX: true, legend: .bottomRight,
                           series: [Series(title: "ORPO, hardest wrong item rejected", points: try points(.hardest), style: .linesPoints),
                                    Series(title: "ORPO, sampled item rejected", points: try points(.sampled), style: .linesPoints), ceLine]),
                FigureSpec(id: "orpo-validation-ndcg", title: "\(try results.fineTunedModel()) fine-tuning: validation NDCG@10 per epoch \(tag)",
                           xLabel: "fine-tuning epoch", yLabel: "validation NDCG@10 (median, min-max over seeds)", legend: .bottomRight, series: curves),
            ]
        },
    ]
}
