import Engine
import Foundation
import Suite

/// Final losses of the real-model runs and the statistics of the gradient noise, as the README
/// quotes them.
enum CharLMTables {
    static let requests = [
        TableRequest(id: "char-lm-final", title: "final losses per method over seeds", experiments: [CharLMExperiment.id]) { results in
            let rows = try CharLMFigures.methods(results).map { group, method -> [String] in
                let validation = try results.finalValues(CharLMExperiment.id, group: group, metric: "val_loss")
                let train = try results.finalValues(CharLMExperiment.id, group: group, metric: "train_loss")
                return [method, String(validation.count), String(validation.filter { !$0.isFinite }.count),
                        ResultTable.cell(Quantiles.of(validation, 0.5), digits: 4), ResultTable.cell(validation.min()!, digits: 4), ResultTable.cell(validation.max()!, digits: 4),
                        ResultTable.perSeed(validation), ResultTable.cell(Quantiles.of(train, 0.5), digits: 4)]
            }
            return [ResultTable(id: "char-lm-final", title: "char-lm: final losses over seeds \(try results.scaleTag(CharLMExperiment.id))",
                                columns: ["method", "seeds", "diverged", "val median", "val min", "val max", "val per seed", "train median"], rows: rows)]
        },
        TableRequest(id: "gradient-noise", title: "minibatch gradient noise per checkpoint", experiments: [GradientNoiseExperiment.id]) { results in
            let rows = try CharLMFigures.checkpoints(results).map { checkpoint, group -> [String] in
                let norms = try CharLMFigures.noiseNorms(results, group)
                let hill = try results.finalValues(GradientNoiseExperiment.id, group: group, metric: "hill_tail_index")
                let reference = try results.finalValues(GradientNoiseExperiment.id, group: group, metric: "reference_grad_norm")
                let median = Quantiles.of(norms, 0.5)
                return [String(checkpoint), String(norms.count), ResultTable.cell(hill.reduce(0, +) / Double(hill.count)), ResultTable.cell(median),
                        ResultTable.cell(Quantiles.of(norms, 0.99) / median), ResultTable.cell(norms.max()! / median), ResultTable.cell(reference.reduce(0, +) / Double(reference.count))]
            }
            return [ResultTable(id: "gradient-noise", title: "gradient-noise: |g_b - g| over minibatches \(try results.scaleTag(GradientNoiseExperiment.id))",
                                columns: ["step", "minibatches", "Hill tail index", "median", "q0.99 / median", "max / median", "|g|"], rows: rows)]
        },
    ]
}
