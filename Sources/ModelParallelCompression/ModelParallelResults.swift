import Engine
import Suite

/// Reading the runs by method name, as figures, tables and claims do.
extension ResultSet {
    /// The method names of an experiment, in sweep order.
    func methods(_ experiment: String) throws -> [String] {
        try groups(experiment, by: "method").map(\.value)
    }

    /// Mean over seeds of a method's final `metric`; a missing method is an error naming those that exist.
    func requiredMean(_ experiment: String, _ method: String, _ metric: String) throws -> Double {
        Summary(try requiredValues(experiment, method, metric).values).mean
    }

    /// A method's final `metric` run by run; a missing method is an error naming those that exist.
    func requiredValues(_ experiment: String, _ method: String, _ metric: String) throws -> RunValues {
        let groups = try self.groups(experiment, by: "method")
        guard let group = groups.first(where: { $0.value == method })?.group else {
            throw SuiteError("the \(experiment) sweep has no method '\(method)' (has: \(groups.map(\.value).joined(separator: ", ")))")
        }
        return try runValues(experiment, group: group, metric: metric)
    }
}
