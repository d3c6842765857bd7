import Engine
import Suite

/// A model of wall time in a real pipeline, built from what the runs measured — labelled a model,
/// not a measurement. Per training step: the measured compute time c of the method (all stages on
/// this machine, compression included) plus, for every boundary, its forward and backward bits
/// over a link of bandwidth W, with no overlap of communication and compute:
///     t_step(W) = c + (bits_fw + bits_bw) / W.
/// Time to target is Σ t_step over the steps up to the first epoch whose compressed-inference test
/// accuracy reaches `targetFraction` × the uncompressed run's final accuracy.
enum CommunicationTimeModel {
    struct Row {
        let method: String
        let secondsPerStep: Double
        let bitsPerStep: Double
        /// Per bandwidth, seconds to target (nil: never reached).
        let times: [Double?]
    }

    /// The bandwidths and target fraction `experiments.yaml` set (the image experiment carries them).
    static func settings(_ results: ResultSet) throws -> (bandwidths: [Double], fraction: Double) {
        let analysis = try results.experiment(ImageExperiment.id).analysis
        guard case .list(let list)? = analysis["bandwidths"], let fraction = analysis["targetFraction"]?.doubleValue else {
            throw SuiteError("\(results.paper): the image experiment carries no time-model settings")
        }
        return (list.compactMap(\.doubleValue), fraction)
    }

    static func target(_ results: ResultSet, fraction: Double) throws -> Double {
        fraction * (try results.requiredMean(ImageExperiment.id, "none", "test_acc_compressed"))
    }

    static func rows(_ results: ResultSet, bandwidths: [Double], fraction: Double) throws -> [Row] {
        let goal = try target(results, fraction: fraction)
        return try results.methods(ImageExperiment.id).map { method in
            let group = ImageExperiment.group(method).name
            let summaries = try results.summaries(ImageExperiment.id, group: group)
            let tables = try results.runs(ImageExperiment.id, group: group).map { try results.store.metrics($0) }
            let compute = summaries.compactMap { $0.measurements?["seconds_per_step"] }
            guard compute.count == summaries.count else {
                throw SuiteError("\(results.paper)/image/\(group): a run has no seconds_per_step measurement; re-run it with --force")
            }
            let c = compute.reduce(0, +) / Double(compute.count)
            var bitsPerStep = 0.0
            var perRun: [[Double?]] = []
            for table in tables {
                let (steps, accuracy) = (try table.required("step"), try table.required("test_acc_compressed"))
                let (fw, bw) = (try table.required("bits_fw_per_step"), try table.required("bits_bw_per_step"))
                bitsPerStep += (fw[fw.count - 1] + bw[bw.count - 1]) / Double(tables.count)
                perRun.append(bandwidths.map { w in
                    var elapsed = 0.0, previousStep = 0.0
                    for row in steps.indices {
                        elapsed += (steps[row] - previousStep) * (c + (fw[row] + bw[row]) / w)
                        previousStep = steps[row]
                        if accuracy[row] >= goal { return elapsed }
                    }
                    return nil
                })
            }
            // A seed that never reaches the target makes the method's time undefined (+∞).
            let times = bandwidths.indices.map { i -> Double? in
                let values = perRun.map { $0[i] }
                return values.contains { $0 == nil } ? nil : values.compactMap { $0 }.reduce(0, +) / Double(values.count)
            }
            return Row(method: method, secondsPerStep: c, bitsPerStep: bitsPerStep, times: times)
        }
    }

    static func bandwidthLabel(_ w: Double) -> String {
        w >= 1e9 ? "\(ResultTable.cell(w / 1e9)) Gbit/s" : "\(ResultTable.cell(w / 1e6)) Mbit/s"
    }
}
