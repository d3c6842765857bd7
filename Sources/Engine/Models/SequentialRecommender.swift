/// A next-item model over item sequences: ids `[B, T]` right-padded with item 0 (a user's items
/// first, in time order, then padding) map to hidden states `[B, T, d]`; the state at step t
/// depends on items ≤ t only, so one pass predicts every next item of a sequence. Items are scored
/// against the model's item embedding table (tied input and output embeddings).
public protocol SequentialRecommender {
    /// Real items are 1...items; id 0 is padding.
    var items: Int { get }
    /// The `[items + 1, d]` item table the scores are dot products with (row 0 is padding).
    var itemTable: ParamRef { get }
    func callAsFunction(_ ids: [Int], batch: Int, mode: ForwardMode, on tape: Tape) -> Var
}

extension SequentialRecommender {
    /// Scores of every item id (padding 0 included) for hidden states `[..., d]`: h · Eᵀ.
    public func scores(_ hidden: Var) -> Var {
        matmul(hidden, hidden.tape.param(itemTable), transposeB: true)
    }
}

extension SASRecEncoder: SequentialRecommender {
    public var items: Int { config.items }
    public var itemTable: ParamRef { itemEmbedding.table }
}
