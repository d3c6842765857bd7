import Engine
import Suite

/// Final metrics per method, with every seed, as the README quotes them.
enum ModelParallelTables {
    static func percent(_ v: Double) -> String { ResultTable.cell(100 * v, digits: 4) }

    static let requests: [TableRequest] = [
        TableRequest(id: "image-final", title: "image: final test accuracy with and without compression at inference",
                     experiments: [ImageExperiment.id]) { results in
            let rows = try results.methods(ImageExperiment.id).map { m -> [String] in
                let group = ImageExperiment.group(m).name
                let compressed = try results.finalValues(ImageExperiment.id, group: group, metric: "test_acc_compressed")
                let uncompressed = try results.finalValues(ImageExperiment.id, group: group, metric: "test_acc_uncompressed")
                let loss = try results.finalValues(ImageExperiment.id, group: group, metric: "train_loss")
                return [m, String(compressed.count), percent(Summary(compressed).mean), percent(Summary(uncompressed).mean),
                        compressed.map(percent).joined(separator: " "), uncompressed.map(percent).joined(separator: " "),
                        ResultTable.cell(Summary(loss).mean, digits: 4),
                        ResultTable.cell(try results.requiredMean(ImageExperiment.id, m, "bits_fw_per_step")),
                        ResultTable.cell(try results.requiredMean(ImageExperiment.id, m, "bits_bw_per_step"))]
            }
            return [ResultTable(id: "image-final", title: "image: final test accuracy (%), mean and per seed, and bits per step (all boundaries) \(try results.scaleTag(ImageExperiment.id))",
                                columns: ["method", "seeds", "acc compressed", "acc uncompressed", "compressed per seed",
                                          "uncompressed per seed", "train loss", "bits fw/step", "bits bw/step"], rows: rows)]
        },
        TableRequest(id: "lm-final", title: "lm: final validation loss with and without compression at inference",
                     experiments: [LanguageModelExperiments.id]) { results in
            let rows = try results.methods(LanguageModelExperiments.id).map { m -> [String] in
                let group = LanguageModelExperiments.group(m).name
                let compressed = try results.finalValues(LanguageModelExperiments.id, group: group, metric: "val_loss_compressed")
                let uncompressed = try results.finalValues(LanguageModelExperiments.id, group: group, metric: "val_loss_uncompressed")
                return [m, String(compressed.count), ResultTable.cell(Summary(compressed).mean, digits: 4),
                        ResultTable.cell(Summary(uncompressed).mean, digits: 4),
                        ResultTable.perSeed(compressed), ResultTable.perSeed(uncompressed),
                        ResultTable.cell(try results.requiredMean(LanguageModelExperiments.id, m, "bits_fw_per_step")),
                        ResultTable.cell(try results.requiredMean(LanguageModelExperiments.id, m, "bits_bw_per_step"))]
            }
            return [ResultTable(id: "lm-final", title: "lm: final validation loss, mean and per seed, and bits per step (all boundaries) \(try results.scaleTag(LanguageModelExperiments.id))",
                                columns: ["method", "seeds", "val compressed", "val uncompressed", "compressed per seed",
                                          "uncompressed per seed", "bits fw/step", "bits bw/step"], rows: rows)]
        },
        TableRequest(id: "time-to-target", title: "a model, not a measurement: time to target accuracy per bandwidth",
                     experiments: [ImageExperiment.id]) { results in
            let (bandwidths, fraction) = try CommunicationTimeModel.settings(results)
            let target = try CommunicationTimeModel.target(results, fraction: fraction)
            let rows = try CommunicationTimeModel.rows(results, bandwidths: bandwidths, fraction: fraction).map { row in
                [row.method, ResultTable.cell(row.secondsPerStep), ResultTable.cell(row.bitsPerStep)]
                    + row.times.map { $0.map { ResultTable.cell($0) } ?? "not reached" }
            }
            return [ResultTable(id: "time-to-target",
                                title: "MODEL: seconds to reach \(percent(target))% test accuracy (compressed inference) = Σ steps (measured compute s/step + bits/step ÷ bandwidth) \(try results.scaleTag(ImageExperiment.id))",
                                columns: ["method", "compute s/step (measured)", "bits/step"] + bandwidths.map(CommunicationTimeModel.bandwidthLabel),
                                rows: rows)]
        },
    ]
}
