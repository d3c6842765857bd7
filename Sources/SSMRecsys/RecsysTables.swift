import Engine
import Suite

/// The numbers the README quotes: quality per model with every seed, costs at the default length,
/// and costs per sequence length with the fitted growth exponents.
enum RecsysTables {
    static func mb(_ bytes: Double) -> String { ResultTable.cell(bytes / 1_048_576, digits: 4) }

    static let requests: [TableRequest] = [
        ClaimTable.request(RecsysClaims.all, experiments: [QualityExperiment.id, EfficiencyExperiment.id, AdaptiveExperiment.id, PreferenceExperiment.id]),
        TableRequest(id: "quality", title: "quality: test HR/NDCG/MRR at the best-validation epoch, mean and per seed",
                     experiments: [QualityExperiment.id]) { results in
            let metrics = ["hr@10", "ndcg@10", "mrr@10", "hr@20", "ndcg@20", "mrr@20"]
            let rows = try results.models(QualityExperiment.id).map { model -> [String] in
                let ndcg = try results.bestTest(model, "ndcg@10")
                let epochs = try results.finalValues(QualityExperiment.id, group: QualityExperiment.group(model), metric: "best_epoch")
                return [model, String(ndcg.count)] + (try metrics.map { ResultTable.cell(try results.meanBestTest(model, $0), digits: 4) })
                    + [ResultTable.perSeed(ndcg), epochs.map { String(Int($0)) }.joined(separator: " ")]
            }
            return [ResultTable(id: "quality",
                                title: "quality [\(results.scale.rawValue) scale, \(try RecsysFigures.seeds(results))]: test metrics at the best validation NDCG@10 epoch (mean over seeds)",
                                columns: ["model", "seeds"] + metrics.map { $0.uppercased() }
                                    + ["NDCG@10 per seed", "best epoch per seed"], rows: rows)]
        },
        TableRequest(id: "efficiency", title: "efficiency: costs at the default length and their growth with the sequence length",
                     experiments: [EfficiencyExperiment.id]) { results in
            let all = try results.models(EfficiencyExperiment.id).map { ($0, try results.efficiency($0)) }
            let rows = all.map { model, e -> [String] in
                [model, String(Int(e.parameters)), ResultTable.cell(e.secondsPerEpoch, digits: 3), ResultTable.cell(e.inferencePer1000, digits: 3),
                        mb(e.trainStepBytes), mb(e.inferenceBytes),
                        ResultTable.cell(e.trainTimeExponent, digits: 3), ResultTable.cell(e.inferenceTimeExponent, digits: 3),
                        ResultTable.cell(e.trainMemoryExponent, digits: 3), mb(e.trainBytes.last ?? .nan)]
            }
            let lengths = all.first?.1.lengths ?? []
            let span = lengths.isEmpty ? "" : "L = \(lengths.first!)…\(lengths.last!)"
            return [ResultTable(id: "efficiency",
                                title: "efficiency [\(results.scale.rawValue) scale, 1 run per model, measured alone]: at the default length, and growth exponents over \(span) (cost ∝ L^exponent)",
                                columns: ["model", "parameters", "train s/epoch", "inference s/1000 users", "train step peak MB",
                                          "inference peak MB (256 users)", "exponent train time", "exponent inference time",
                                          "exponent train memory", "train step peak MB at L = \(lengths.last ?? 0)"], rows: rows)]
        },
        TableRequest(id: "adaptive", title: "adaptive: best validation NDCG@10, cost of the whole budget, and cost to reach the target",
                     experiments: [AdaptiveExperiment.id]) { results in
            func median(_ values: [Double]) -> String { ResultTable.cell(Quantiles.of(values, 0.5), digits: 4) }
            var rows: [[String]] = []
            for (model, settings) in try results.adaptiveModels() {
                let fixed = Quantiles.of(try results.adaptiveReach(model, SSMRecsys.adam).map { $0?.seconds ?? .infinity }, 0.5)
                for (group, setting) in settings {
                    let runs = try results.adaptivePoints(model, setting)
                    let reach = try results.adaptiveReach(model, setting)
                    let reached = reach.compactMap { $0 }
                    let seconds = Quantiles.of(reach.map { $0?.seconds ?? .infinity }, 0.5)
                    let best = try results.finalValues(AdaptiveExperiment.id, group: group, metric: "best_val_ndcg@10")
                    let test = try results.finalValues(AdaptiveExperiment.id, group: group, metric: "best_test_ndcg@10")
                    rows.append([model, setting, String(runs.count), ResultTable.cell(Summary(best).mean, digits: 4), ResultTable.cell(Summary(test).mean, digits: 4),
                                 median(runs.compactMap { $0.last?.batch }), median(runs.compactMap { $0.last?.steps }),
                                 median(runs.compactMap { $0.last?.seconds }), "\(reached.count)/\(reach.count)",
                                 seconds.isFinite ? ResultTable.cell(seconds, digits: 4) : "not reached",
                                 reached.count * 2 > reach.count ? median(reached.map(\.sequences)) : "–",
                                 reached.count * 2 > reach.count ? median(reached.map(\.steps)) : "–",
                                 seconds.isFinite && fixed.isFinite ? ResultTable.cell(fixed / seconds, digits: 3) : "–"])
                }
            }
            return [ResultTable(id: "adaptive",
                                title: "adaptive [\(results.scale.rawValue) scale, \(try RecsysFigures.adaptiveSeeds(results))]: target = \(Int(ResultSet.adaptiveTargetFraction * 100))% of fixed-batch Adam's best validation NDCG@10 (mean over seeds); medians over seeds; training time excludes evaluation",
                                columns: ["model", "setting", "seeds", "best val NDCG@10", "test NDCG@10 at best val", "final batch", "steps",
                                          "training s (budget)", "seeds reaching target", "s to target", "sequences to target",
                                          "steps to target", "speed-up vs Adam (time)"], rows: rows)]
        },
        TableRequest(id: "orpo", title: "orpo: test metrics after cross-entropy and ORPO fine-tuning from the same checkpoints",
                     experiments: [PreferenceExperiment.id]) { results in
            let ce = try results.fineTuned(SSMRecsys.crossEntropy, "best_test_ndcg@10")
            let rows = try results.fineTuningMethods().map { method -> [String] in
                func mean(_ metric: String) throws -> String { ResultTable.cell(Summary(try results.fineTuned(method, metric)).mean, digits: 4) }
                let ndcg = try results.fineTuned(method, "best_test_ndcg@10")
                let delta = zip(ndcg, ce).map { $0 - $1 }
                return [method, String(ndcg.count), try mean("start_val_ndcg@10"), try mean("best_val_ndcg@10"), try mean("best_test_hr@10"),
                        try mean("best_test_ndcg@10"), try mean("best_test_mrr@10"), ResultTable.cell(Summary(delta).mean, digits: 3),
                        ResultTable.perSeed(ndcg)]
            }
            return [ResultTable(id: "orpo",
                                title: "orpo [\(results.scale.rawValue) scale]: \(try results.fineTunedModel()) fine-tuned from its pre-trained checkpoint; test metrics at the best validation epoch (mean over seeds; Δ = paired difference to CE)",
                                columns: ["method", "seeds", "val NDCG@10 before", "best val NDCG@10", "test HR@10", "test NDCG@10", "test MRR@10",
                                          "Δ test NDCG@10 vs CE", "test NDCG@10 per seed"], rows: rows)]
        },
        TableRequest(id: "length-scaling", title: "efficiency: per sequence length, training and inference cost per model",
                     experiments: [EfficiencyExperiment.id]) { results in
            var rows: [[String]] = []
            for model in try results.models(EfficiencyExperiment.id) {
                let e = try results.efficiency(model)
                for (i, l) in e.lengths.enumerated() {
                    rows.append([model, String(l), ResultTable.cell(e.trainSeconds[i], digits: 4), ResultTable.cell(e.inferenceSeconds[i], digits: 4),
                                 mb(e.trainBytes[i]), mb(e.inferenceBytesAtLength[i])])
                }
            }
            return [ResultTable(id: "length-scaling",
                                title: "length scaling [\(results.scale.rawValue) scale, 1 run per model, measured alone]: random full-length sequences, loss at the last position",
                                columns: ["model", "L", "train s/step (median)", "inference s/1000 users", "train step peak MB", "inference peak MB"],
                                rows: rows)]
        },
    ]
}
