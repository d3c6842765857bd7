/// Run-group names of two-level sweeps, "noise=<outer> method=<inner>": the outer value must not
/// contain " <innerKey>=", the inner one (last) may contain anything, e.g. "MV-SignSGD M=3".
public enum GroupName {
    public static func make(_ outerKey: String, _ outer: String, _ innerKey: String, _ inner: String) -> String {
        "\(outerKey)=\(outer) \(innerKey)=\(inner)"
    }

    public static func parse(_ group: String, _ outerKey: String, _ innerKey: String) -> (outer: String, inner: String)? {
        guard group.hasPrefix(outerKey + "="), let split = group.range(of: " \(innerKey)=") else { return nil }
        return (String(group[group.index(group.startIndex, offsetBy: outerKey.count + 1)..<split.lowerBound]), String(group[split.upperBound...]))
    }

    /// A file-name-safe form of a setting, e.g. "alpha-stable(1.5)" → "alpha-stable-1-5".
    public static func slug(_ value: String) -> String {
        String(value.map { $0.isLetter || $0.isNumber ? $0 : "-" }).split(separator: "-").joined(separator: "-")
    }
}

extension ResultSet {
    /// The groups of a two-level sweep split by their outer value, both in sweep order.
    public func groups(_ experiment: String, outer outerKey: String, inner innerKey: String) throws
        -> [(outer: String, groups: [(group: String, inner: String)])] {
        var order: [String] = [], members: [String: [(group: String, inner: String)]] = [:]
        for group in try groups(experiment) {
            guard let (outer, inner) = GroupName.parse(group, outerKey, innerKey) else { continue }
            if members[outer] == nil { order.append(outer) }
            members[outer, default: []].append((group, inner))
        }
        return order.map { ($0, members[$0]!) }
    }
}
