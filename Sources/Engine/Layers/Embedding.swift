/// A table of `count` learned vectors of size `dimension`, looked up by integer id.
public struct Embedding {
    public let table: ParamRef
    public let count: Int, dimension: Int
    /// An id that maps to the zero vector and receives no gradient (sequence padding).
    public let paddingIndex: Int?

    public init(_ name: String, count: Int, dimension: Int, paddingIndex: Int? = nil, std: Float = 0.02,
                builder: inout ParameterBuilder) {
        self.count = count
        self.dimension = dimension
        self.paddingIndex = paddingIndex
        table = builder.add("\(name).table", shape: [count, dimension], .normal(std: std))
    }

    /// Vectors for `ids`, shaped `shape + [dimension]`.
    public func callAsFunction(_ ids: [Int], shape: [Int], on tape: Tape) -> Var {
        gatherRows(tape.param(table), ids: ids, shape: shape, paddingIndex: paddingIndex)
    }
}
