import Engine
import Figures
import Suite

/// Loss curves of the character-level decoder (median and min–max over seeds, one figure per
/// optimizer family) and the distribution of its minibatch gradient noise per checkpoint.
enum CharLMFigures {
    static let families = ["Adam", "AdaGrad"]

    static let requests: [FigureRequest] = ["val_loss", "train_loss"].map { metric in
        FigureRequest(id: "char-lm-\(metric)", title: "char-lm: \(metric) per method (median, min-max over seeds)",
                      experiments: [CharLMExperiment.id]) { results in
            try families.compactMap { family in
                let groups = try methods(results).filter { Self.family(of: $0.method) == family }
                guard !groups.isEmpty else { return nil }
                return FigureSpec(id: "char-lm-\(metric.replacingOccurrences(of: "_", with: "-"))-\(family.lowercased())",
                                  title: "Tiny Shakespeare, \(family) family: \(metric) (median, min-max over seeds) \(try results.scaleTag(CharLMExperiment.id))",
                                  xLabel: "step", yLabel: metric.replacingOccurrences(of: "_", with: " "), legend: .topRight,
                                  series: try groups.map {
                                      try results.quantileBandSeries(CharLMExperiment.id, group: $0.group, metric: metric, title: $0.method, band: (0, 1))
                                  })
            }
        }
    } + [
        FigureRequest(id: "gradient-noise-ccdf", title: "tail of the minibatch gradient noise ‖g_b − g‖ per checkpoint",
                      experiments: [GradientNoiseExperiment.id]) { results in
            [FigureSpec(id: "gradient-noise-ccdf", title: "Tiny Shakespeare decoder: P(|g_b - g| > v) over minibatches \(try results.scaleTag(GradientNoiseExperiment.id))",
                        xLabel: "v = |g_b - g|", yLabel: "fraction of minibatches", logX: true, logY: true, legend: .outside,
                        series: try checkpoints(results).map { checkpoint, group in
                            let values = try noiseNorms(results, group).sorted()
                            let n = Double(values.count)
                            return Series(title: "step \(checkpoint)", points: values.enumerated().map { .init(x: $1, y: (n - Double($0)) / n) },
                                          style: .steps)
                        })]
        },
        FigureRequest(id: "gradient-noise-histogram", title: "histogram of ‖g_b − g‖ per checkpoint (as the paper's noise plots)",
                      experiments: [GradientNoiseExperiment.id]) { results in
            [FigureSpec(id: "gradient-noise-histogram", title: "Tiny Shakespeare decoder: histogram of |g_b - g| over minibatches \(try results.scaleTag(GradientNoiseExperiment.id))",
                        xLabel: "|g_b - g|", yLabel: "density", legend: .topRight,
                        series: try checkpoints(results).map { checkpoint, group in
                            Series(title: "step \(checkpoint)", points: histogram(try noiseNorms(results, group), bins: 40), style: .steps)
                        })]
        },
    ]

    static func family(of method: String) -> String {
        method.contains("Adam") ? "Adam" : "AdaGrad"
    }

    static func methods(_ results: ResultSet) throws -> [(group: String, method: String)] {
        try results.groups(CharLMExperiment.id, by: "method").map { (group: $0.group, method: $0.value) }
    }

    static func checkpoints(_ results: ResultSet) throws -> [(checkpoint: Int, group: String)] {
        try results.runGroups(GradientNoiseExperiment.id).map { group in
            (try results.runs(GradientNoiseExperiment.id, group: group.name)[0].typed(GradientNoiseExperiment.Run.self).checkpoint, group.name)
        }
    }

    /// Every logged ‖g_b − g‖ of a checkpoint, pooled over its runs.
    static func noiseNorms(_ results: ResultSet, _ group: String) throws -> [Double] {
        try results.metricValues(GradientNoiseExperiment.id, group: group, metric: "noise_norm").flatMap { $0 }
    }

    /// Density histogram on `bins` equal bins between the smallest and largest value.
    static func histogram(_ values: [Double], bins: Int) -> [Series.Point] {
        guard let low = values.min(), let high = values.max(), high > low else { return [] }
        let width = (high - low) / Double(bins)
        var counts = [Int](repeating: 0, count: bins)
        for v in values { counts[min(bins - 1, Int((v - low) / width))] += 1 }
        let scale = 1 / (Double(values.count) * width)
        return counts.enumerated().map { .init(x: low + width * Double($0), y: Double($1) * scale) } + [.init(x: high, y: 0)]
    }
}
