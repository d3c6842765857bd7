import Engine
import Suite

/// Reading the runs by method name, as figures, tables and claims do.
extension ResultSet {
    /// The method names of an experiment, in sweep order.
    func methods(_ experiment: String) throws -> [String] {
        try groups(experiment).map { String($0.dropFirst("method=".count)) }
    }

    /// Mean over seeds of a method's final `metric`; a missing method is an error naming those that exist.
    func requiredMean(_ experiment: String, _ method: String, _ metric: String) throws -> Double {
        Summary(try requiredValues(experiment, method, metric).values).mean
    }

    /// A method's final `metric` run by run; a missing method is an error naming those that exist.
    func requiredValues(_ experiment: String, _ method: String, _ metric: String) throws -> RunValues {
        guard try methods(experiment).contains(method) else {
            throw SuiteError("the \(experiment) sweep has no method '\(method)' (has: \(try methods(experiment).joined(separator: ", ")))")
        }
        return try runValues(experiment, group: "method=\(method)", metric: metric)
    }
}
