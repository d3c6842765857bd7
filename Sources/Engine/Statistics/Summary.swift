/// Mean and sample standard deviation (n − 1 denominator) of a sample, computed in Double.
public struct Summary: Sendable, Equatable {
    public let count: Int
    public let mean: Double
    public let standardDeviation: Double

    public init(_ values: [Double]) {
        count = values.count
        mean = values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
        if values.count < 2 {
            standardDeviation = 0
        } else {
            let m = mean
            standardDeviation = (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot()
        }
    }
}
