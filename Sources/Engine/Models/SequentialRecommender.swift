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
    /// The hidden states `[B, d]` of row b at step `positions[b]` only: what scoring each user's
    /// next item needs. A model whose last layers can skip the other steps does (Mamba4Rec);
    /// by default, every step is computed and the wanted ones gathered.
    func hidden(_ ids: [Int], batch: Int, at positions: [Int], mode: ForwardMode, on tape: Tape) -> Var
}

extension SequentialRecommender {
    public func hidden(_ ids: [Int], batch: Int, at positions: [Int], mode: ForwardMode, on tape: Tape) -> Var {
        let all = self(ids, batch: batch, mode: mode, on: tape)
        let (length, d) = (all.shape[1], all.shape[2])
        return gatherRows(all.reshaped([batch * length, d]), ids: positions.enumerated().map { $0 * length + $1 }, shape: [batch])
    }

    /// Scores of every item id (padding 0 included) for hidden states `[..., d]`: h · Eᵀ.
    public func scores(_ hidden: Var) -> Var {
        matmul(hidden, hidden.tape.param(itemTable), transposeB: true)
    }
}

extension SASRecEncoder: SequentialRecommender {
    public var items: Int { config.items }
    public var itemTable: ParamRef { itemEmbedding.table }
}
