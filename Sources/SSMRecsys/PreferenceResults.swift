import Engine
import Suite

/// Reading the `orpo` sweep by method name.
extension ResultSet {
    func fineTuningMethods() throws -> [String] {
        try groups(PreferenceExperiment.id, by: "method").map(\.value)
    }

    /// The name of the model the sweep fine-tunes.
    func fineTunedModel() throws -> String {
        guard let run = try experiment(PreferenceExperiment.id).runs.first else { return "model" }
        return try run.typed(PreferenceExperiment.FineTuning.self).pretrained.typed(PreferenceExperiment.Pretraining.self).model.name
    }

    /// A method's final value `metric` per seed (e.g. "best_test_ndcg@10"), in seed order.
    func fineTuned(_ method: String, _ metric: String) throws -> [Double] {
        guard try fineTuningMethods().contains(method) else {
            throw SuiteError("the \(PreferenceExperiment.id) sweep has no method '\(method)' (has: \(try fineTuningMethods().joined(separator: ", ")))")
        }
        return try finalValues(PreferenceExperiment.id, group: PreferenceExperiment.group(method).name, metric: metric)
    }

    /// The ORPO method with the highest mean best validation NDCG@10: the one a user would pick
    /// without looking at the test items.
    func orpoChosenByValidation() throws -> String {
        let candidates = try fineTuningMethods().filter { $0 != SSMRecsys.crossEntropy }
        guard let best = try candidates.max(by: { try Summary(fineTuned($0, "best_val_ndcg@10")).mean < Summary(fineTuned($1, "best_val_ndcg@10")).mean }) else {
            throw SuiteError("the \(PreferenceExperiment.id) sweep has no ORPO method")
        }
        return best
    }
}
