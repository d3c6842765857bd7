import Engine
import Figures
import Foundation
import Suite

/// Figures of the model-parallel compression reproduction.
enum ModelParallelFigures {
    /// "Top10%" → 10, for methods of one TopK family ("Top", "fw Top", "EF Top", …).
    static func percent(_ method: String, family prefix: String) -> Double? {
        guard method.hasPrefix(prefix), method.hasSuffix("%") else { return nil }
        return Double(method.dropFirst(prefix.count).dropLast())
    }

    /// One point per method of a family: x from the method's name, y the mean final metric.
    static func familySeries(_ results: ResultSet, _ experiment: String, family: String, metric: String, title: String,
                             style: Series.Style = .linesPoints) throws -> Series? {
        let points = try results.methods(experiment).compactMap { method -> Series.Point? in
            guard let k = percent(method, family: family) else { return nil }
            return Series.Point(x: k, y: 100 * (try results.requiredMean(experiment, method, metric)))
        }.sorted { $0.x < $1.x }
        return points.isEmpty ? nil : Series(title: title, points: points, style: style)
    }

    static let requests: [FigureRequest] = [
        FigureRequest(id: "image-accuracy-vs-k", title: "image: final test accuracy against TopK's K, per direction compressed",
                      experiments: [ImageExperiment.id]) { results in
            let none = 100 * (try results.requiredMean(ImageExperiment.id, "none", "test_acc_compressed"))
            var series = try [("Top", "both ways"), ("fw Top", "activations only"), ("bw Top", "gradients only")].compactMap { family, label in
                try familySeries(results, ImageExperiment.id, family: family, metric: "test_acc_compressed", title: "\(label), compressed inference")
            }
            if let both = try familySeries(results, ImageExperiment.id, family: "Top", metric: "test_acc_uncompressed",
                                           title: "both ways, uncompressed inference") { series.append(both) }
            let ks = series.flatMap { $0.points.map(\.x) }
            series.append(Series(title: "no compression", points: [ks.min() ?? 5, ks.max() ?? 50].map { .init(x: $0, y: none) }))
            return [FigureSpec(id: "image-accuracy-vs-k", title: "Fashion-MNIST ResNet, 4 stages: test accuracy after training (mean over seeds) \(try results.scaleTag(ImageExperiment.id))",
                               xLabel: "TopK: K (% of each sample's entries kept)", yLabel: "test accuracy (%)", logX: true,
                               legend: .outside, series: series)]
        },
        FigureRequest(id: "image-accuracy-vs-bits", title: "image: final test accuracy against bits sent per step",
                      experiments: [ImageExperiment.id]) { results in
            let families: [(String, (String) -> Bool)] = [
                ("TopK both ways", { $0.hasPrefix("Top") }), ("TopK activations only", { $0.hasPrefix("fw Top") }),
                ("TopK gradients only", { $0.hasPrefix("bw Top") }), ("quantization both ways", { $0.hasPrefix("Q") }),
                ("quantization activations only", { $0.hasPrefix("fw Q") }), ("quantization gradients only", { $0.hasPrefix("bw Q") }),
                ("EF / EF21 / AQ-SGD", { $0.hasPrefix("EF") || $0.hasPrefix("AQ") }), ("no compression", { $0 == "none" }),
            ]
            let methods = try results.methods(ImageExperiment.id)
            let series = try families.compactMap { title, member -> Series? in
                let points = try methods.filter(member).map { m in
                    Series.Point(x: try results.requiredMean(ImageExperiment.id, m, "bits_fw_per_step")
                                    + results.requiredMean(ImageExperiment.id, m, "bits_bw_per_step"),
                                 y: 100 * (try results.requiredMean(ImageExperiment.id, m, "test_acc_compressed")))
                }.sorted { $0.x < $1.x }
                return points.isEmpty ? nil : Series(title: title, points: points, style: .linesPoints)
            }
            return [FigureSpec(id: "image-accuracy-vs-bits", title: "Fashion-MNIST ResNet: test accuracy (compressed inference) against bits per step \(try results.scaleTag(ImageExperiment.id))",
                               xLabel: "bits sent per training step, all boundaries, both directions", yLabel: "test accuracy (%)",
                               logX: true, legend: .outside, series: series)]
        },
        FigureRequest(id: "image-inference-modes", title: "image: compressed against uncompressed inference for TopK, EF, EF21 and AQ-SGD",
                      experiments: [ImageExperiment.id]) { results in
            let series = try ["Top", "EF Top", "EF21 Top", "AQ-SGD Top"].flatMap { family in
                try [("test_acc_compressed", "compressed"), ("test_acc_uncompressed", "uncompressed")].compactMap { metric, mode in
                    try familySeries(results, ImageExperiment.id, family: family, metric: metric,
                                     title: "\(family == "Top" ? "TopK" : family.replacingOccurrences(of: " Top", with: "")), \(mode) inference")
                }
            }
            return [FigureSpec(id: "image-inference-modes", title: "Fashion-MNIST ResNet: inference with and without the compressors \(try results.scaleTag(ImageExperiment.id))",
                               xLabel: "TopK: K (%)", yLabel: "test accuracy (%)", logX: true, legend: .outside, series: series)]
        },
        FigureRequest(id: "image-training", title: "image: test accuracy (compressed inference) per epoch, one figure per method family",
                      experiments: [ImageExperiment.id]) { results in
            let methods = try results.methods(ImageExperiment.id)
            let families: [(String, String, (String) -> Bool)] = [
                ("topk", "TopK both ways", { $0.hasPrefix("Top") || $0 == "none" }),
                ("direction", "one direction compressed", { $0.hasPrefix("fw ") || $0.hasPrefix("bw ") || $0 == "none" }),
                ("quantization", "quantization both ways", { $0.hasPrefix("Q") || $0 == "none" }),
                ("compensation", "error compensation", { $0.hasPrefix("EF") || $0.hasPrefix("AQ") || $0 == "none" || $0 == "Top10%" || $0 == "Top30%" }),
            ]
            return try families.map { id, title, member in
                FigureSpec(id: "image-training-\(id)", title: "Fashion-MNIST ResNet, \(title): test accuracy per epoch (median, min-max over seeds) \(try results.scaleTag(ImageExperiment.id))",
                           xLabel: "epoch", yLabel: "test accuracy, compressed inference", legend: .outside,
                           series: try methods.filter(member).map { m in
                               try results.quantileBandSeries(ImageExperiment.id, group: ImageExperiment.group(m).name, metric: "test_acc_compressed",
                                                              x: "epoch", title: m, band: (0, 1))
                           })
            }
        },
        FigureRequest(id: "lm-val-loss", title: "lm: validation loss during fine-tuning, compressed and uncompressed inference",
                      experiments: [LanguageModelExperiments.id]) { results in
            let methods = try results.methods(LanguageModelExperiments.id)
            return try [("compressed", "val_loss_compressed"), ("uncompressed", "val_loss_uncompressed")].map { mode, metric in
                FigureSpec(id: "lm-val-loss-\(mode)", title: "Tiny Shakespeare decoder, 4 stages: validation loss, \(mode) inference (median, min-max over seeds) \(try results.scaleTag(LanguageModelExperiments.id))",
                           xLabel: "fine-tuning step", yLabel: "validation loss", legend: .outside,
                           series: try methods.map { m in
                               try results.quantileBandSeries(LanguageModelExperiments.id, group: LanguageModelExperiments.group(m).name,
                                                              metric: metric, title: m, band: (0, 1))
                           })
            }
        },
        FigureRequest(id: "time-to-target", title: "a model, not a measurement: time to target accuracy at several link bandwidths",
                      experiments: [ImageExperiment.id]) { results in
            let (bandwidths, fraction) = try CommunicationTimeModel.settings(results)
            let rows = try CommunicationTimeModel.rows(results, bandwidths: bandwidths, fraction: fraction)
            let shown = rows.filter { row in
                !row.method.hasPrefix("fw ") && !row.method.hasPrefix("bw ") && row.times.contains { $0 != nil }
            }
            return [FigureSpec(id: "time-to-target", title: "MODEL (measured compute + bits / bandwidth): time to \(Int(fraction * 100))% of the uncompressed accuracy \(try results.scaleTag(ImageExperiment.id))",
                               xLabel: "link bandwidth (bit/s)", yLabel: "modelled seconds to target", logX: true, logY: true, legend: .outside,
                               series: shown.map { row in
                                   Series(title: row.method, points: zip(bandwidths, row.times).compactMap { w, t in t.map { .init(x: w, y: $0) } },
                                          style: .linesPoints)
                               })]
        },
    ]
}
