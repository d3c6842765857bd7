import Engine
import Suite

/// The numbers the README quotes: quality per model with every seed, costs at the default length,
/// and costs per sequence length with the fitted growth exponents.
enum RecsysTables {
    static func mb(_ bytes: Double) -> String { ResultTable.cell(bytes / 1_048_576, digits: 4) }

    static func percent(_ ours: Double, _ reference: Double) -> String {
        reference > 0 ? (ours >= reference ? "+" : "") + String(format: "%.1f %%", 100 * (ours / reference - 1)) : "–"
    }

    /// A row of trainings with early stopping, with its gaps to RecBole's `reference` when there is one.
    static func trainedRow(_ label: [String], _ g: TrainedGroup, reference: RecBoleReference.Outcome?) -> [String] {
        label + [String(g.seeds), ResultTable.cell(g.hr, digits: 4), ResultTable.cell(g.ndcg, digits: 4), ResultTable.cell(g.mrr, digits: 4),
                 reference.map { percent(g.hr, $0.hr) } ?? "–", reference.map { percent(g.ndcg, $0.ndcg) } ?? "–",
                 g.bestEpochs.map(String.init).joined(separator: " "), g.epochs.map(String.init).joined(separator: " "), g.stopped,
                 ResultTable.cell(g.secondsPerEpoch, digits: 3)]
    }

    static let trainedColumns = ["seeds", "test HR@10", "test NDCG@10", "test MRR@10", "Δ HR@10 vs RecBole", "Δ NDCG@10 vs RecBole",
                                 "best epoch per seed", "epochs per seed", "stopped by", "train s/epoch"]

    /// RecBole's row: its test metrics at its best validation epoch, or how far an unfinished run got.
    static func referenceRow(_ label: [String], _ r: RecBoleReference) -> [String] {
        let seconds = Summary(r.epochs.map(\.seconds)).mean
        guard let o = r.outcome else {
            let best = r.epochs.max { $0.validationNDCG < $1.validationNDCG }!
            return label + ["1 (seed \(r.seed))", "–", "–", "–", "–", "–", "\(best.epoch) (val NDCG@10 \(ResultTable.cell(best.validationNDCG, digits: 4)))",
                            String(r.epochs.count), "not finished: no test result yet", ResultTable.cell(seconds, digits: 3)]
        }
        return label + ["1 (seed \(r.seed))", ResultTable.cell(o.hr, digits: 4), ResultTable.cell(o.ndcg, digits: 4), ResultTable.cell(o.mrr, digits: 4),
                        "–", "–", String(o.bestEpoch), String(o.epochs), o.stopped, ResultTable.cell(o.secondsPerEpoch, digits: 3)]
    }

    static let recboleCommand = "venv/bin/python scripts/recbole_reference.py --video Video.txt --model SASRec|GRU4Rec --seed 2020 --out reproductions/ssm-recsys/reference/recbole"

    static let requests: [TableRequest] = [
        TableRequest(id: "quality", title: "quality: test HR/NDCG/MRR at the best-validation epoch, mean and per seed",
                     experiments: [QualityExperiment.id]) { results in
            let metrics = ["hr@10", "ndcg@10", "mrr@10", "hr@20", "ndcg@20", "mrr@20"]
            let rows = try results.models(QualityExperiment.id).map { model -> [String] in
                let ndcg = try results.bestTest(model, "ndcg@10")
                let epochs = try results.finalValues(QualityExperiment.id, group: QualityExperiment.group(model).name, metric: "best_epoch")
                return [model, String(ndcg.count)] + (try metrics.map { ResultTable.cell(try results.meanBestTest(model, $0), digits: 4) })
                    + [ResultTable.perSeed(ndcg), epochs.map { String(Int($0)) }.joined(separator: " ")]
            }
            return [ResultTable(id: "quality",
                                title: "quality [\(results.scale.rawValue) scale, \(try RecsysFigures.seeds(results))]: test metrics at the best validation NDCG@10 epoch (mean over seeds)",
                                columns: ["model", "seeds"] + metrics.map { $0.uppercased() }
                                    + ["NDCG@10 per seed", "best epoch per seed"], rows: rows)]
        },
        TableRequest(id: "recbole", title: "quality: ours against RecBole 1.2.1 on the same split and protocol (full scale)",
                     experiments: [QualityExperiment.id]) { results in
            guard results.scale == .full else { return [] }
            var rows: [[String]] = [], missing: [String] = [], versions: Set<String> = [], samples: Set<String> = []
            for pair in RecBoleReference.models where try results.models(QualityExperiment.id).contains(pair.ours) {
                let reference = try RecBoleReference.of(pair.ours, in: results)
                let group = QualityExperiment.group(pair.ours).name
                let ours = try results.trainedGroup(QualityExperiment.id, group: group)
                for run in try results.runs(QualityExperiment.id, group: group).map({ try $0.typed(QualityExperiment.Run.self) }) {
                    let kind = run.samples ?? .windows
                    samples.insert("\(kind.rawValue), \(run.batch) \(run.batchBy == .targets ? "targets" : kind.rawValue) per step")
                }
                rows.append(trainedRow([pair.ours, "ours (quality)"], ours, reference: reference?.outcome))
                if let reference {
                    rows.append(referenceRow([pair.ours, "RecBole \(pair.recbole)"], reference))
                    if let o = reference.outcome { versions.insert("\(pair.recbole): \(o.versions), \(o.threads) thread\(o.threads == 1 ? "" : "s")") }
                } else {
                    missing.append(pair.recbole)
                }
            }
            let note = "Δ = ours / RecBole − 1. RecBole trains on every prefix of each history (prefix augmentation, 2048 per step); "
                + "ours on \(samples.sorted().joined(separator: " and ")) (windows: every position of a window a target), so an epoch is one pass over the same (prefix, next item) pairs in both. "
                + "RecBole's runs: \(versions.isEmpty ? "none finished" : versions.sorted().joined(separator: "; ")), on this machine. "
                + "s/epoch is each run's mean epoch as it ran, other work sharing the cores or not; the efficiency table times an epoch of ours alone. "
                + (missing.isEmpty ? "" : "Not yet run: \(missing.joined(separator: ", ")) (`\(recboleCommand)`).")
            return [ResultTable(id: "recbole",
                                title: "RecBole [full scale]: test metrics at the best validation NDCG@10 epoch, ours (mean over seeds) and RecBole 1.2.1 on SASRec's Video.txt",
                                columns: ["model", "implementation"] + trainedColumns, rows: rows, note: note)]
        },
        TableRequest(id: "ablation", title: "ablation: one change at a time toward RecBole's protocol, with the gap to RecBole",
                     experiments: [AblationExperiment.id]) { results in
            var rows: [[String]] = []
            for (group, variant) in try results.groups(AblationExperiment.id, by: "variant") {
                let run = try results.runs(AblationExperiment.id, group: group)[0].typed(QualityExperiment.Run.self)
                let reference = results.scale == .full ? try RecBoleReference.of(run.model.name, in: results)?.outcome : nil
                let batch = "\(run.batch)\(run.batchBy == .targets ? " targets" : "")"
                rows.append(trainedRow([variant, (run.samples ?? .windows).rawValue, batch],
                                       try results.trainedGroup(AblationExperiment.id, group: group), reference: reference))
            }
            return [ResultTable(id: "ablation",
                                title: "ablation [\(results.scale.rawValue) scale]: test metrics at the best validation NDCG@10 epoch; Δ against RecBole's run of the same model (full scale)",
                                columns: ["variant", "samples", "batch"] + trainedColumns, rows: rows)]
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
                                title: "efficiency [\(results.scale.rawValue) scale, times the median of \(all.first?.1.repeats ?? 0) runs per model, measured alone]: at the default length, and growth exponents over \(span) (cost ∝ L^exponent)",
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
            var repeats = 0
            for model in try results.models(EfficiencyExperiment.id) {
                let e = try results.efficiency(model)
                repeats = e.repeats
                for (i, l) in e.lengths.enumerated() {
                    rows.append([model, String(l), ResultTable.cell(e.trainSeconds[i], digits: 4), ResultTable.cell(e.inferenceSeconds[i], digits: 4),
                                 mb(e.trainBytes[i]), mb(e.inferenceBytesAtLength[i])])
                }
            }
            return [ResultTable(id: "length-scaling",
                                title: "length scaling [\(results.scale.rawValue) scale, times the median of \(repeats) runs per model, measured alone]: random full-length sequences, loss at the last position",
                                columns: ["model", "L", "train s/step (median)", "inference s/1000 users", "train step peak MB", "inference peak MB"],
                                rows: rows)]
        },
    ]
}
