import Engine
import Suite

/// A sequential recommender as a config writes it (the SSM paper's models, the benchmark's recommender
/// workloads); unset fields take the defaults of its official configuration.
public struct RecommenderSpec: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, CaseIterable, NamedChoice {
        case mamba4rec, sasrec, gru4rec
        /// Items ranked by their training frequency: the floor every sequential model must beat.
        case popularity
    }

    public var name: String
    public var kind: Kind
    public var layers: Int?
    public var width: Int?
    public var dropout: Float?
    /// Mamba: d_state, d_conv, expand.
    public var stateSize: Int?
    public var convWidth: Int?
    public var expand: Int?
    /// SASRec: attention heads and feed-forward width.
    public var heads: Int?
    public var inner: Int?
    /// SASRec's blocks: `pre` (the paper's formula; default) or `post` (RecBole's, which Mamba4Rec's
    /// paper ran; its unset dropouts then take RecBole's 0.5).
    public var norm: SASRecNorm?
    /// SASRec post-norm: dropout of the attention probabilities (RecBole's `attn_dropout_prob`).
    public var attentionDropout: Float?
    /// GRU4Rec: biases in the GRU (RecBole has none).
    public var bias: Bool?

    public enum SASRecNorm: String, Codable, Sendable, CaseIterable, NamedChoice { case pre, post }

    public init(name: String, kind: Kind, layers: Int? = nil, width: Int? = nil, dropout: Float? = nil, stateSize: Int? = nil,
                convWidth: Int? = nil, expand: Int? = nil, heads: Int? = nil, inner: Int? = nil, norm: SASRecNorm? = nil,
                attentionDropout: Float? = nil, bias: Bool? = nil) {
        (self.name, self.kind, self.layers, self.width, self.dropout) = (name, kind, layers, width, dropout)
        (self.stateSize, self.convWidth, self.expand, self.heads, self.inner) = (stateSize, convWidth, expand, heads, inner)
        (self.norm, self.attentionDropout, self.bias) = (norm, attentionDropout, bias)
    }

    /// The model on `items` real items and sequences of up to `maxLength` (SASRec's positions);
    /// nil for the popularity ranking, which has no parameters.
    public func make(items: Int, maxLength: Int, builder: inout ParameterBuilder) -> (any SequentialRecommender)? {
        let d = width ?? 64
        switch kind {
        case .mamba4rec:
            return Mamba4Rec(.init(items: items, layers: layers ?? 1, width: d, stateSize: stateSize ?? 32, convWidth: convWidth ?? 4,
                                   expand: expand ?? 2, dropout: dropout ?? 0.2), builder: &builder)
        case .sasrec:
            let blocks: SASRecEncoder.Blocks = norm == .post
                ? .postNorm(.init(width: d, heads: heads ?? 2, hidden: inner ?? 4 * d, dropout: dropout ?? 0.5,
                                  attentionDropout: attentionDropout ?? 0.5))
                : .preNorm(.init(width: d, heads: heads ?? 2, hidden: inner ?? 4 * d, dropout: dropout ?? 0.2, activation: .exactGELU))
            return SASRecEncoder(.init(items: items, maxLength: maxLength, layers: layers ?? 2, blocks: blocks), builder: &builder)
        case .gru4rec:
            return GRU4Rec(.init(items: items, width: d, hidden: d, dropout: dropout ?? 0.3, bias: bias ?? false), builder: &builder)
        case .popularity:
            return nil
        }
    }

    /// The model and its parameters drawn from `rng`'s "model" stream; an error for the popularity
    /// ranking, which has neither.
    public func build(items: Int, maxLength: Int, rng: RNG) throws -> (model: any SequentialRecommender, store: ParameterStore) {
        var builder = ParameterBuilder(rng: rng.stream("model"))
        guard let model = make(items: items, maxLength: maxLength, builder: &builder) else {
            throw SuiteError("recommender '\(name)' (\(kind.rawValue)) has no model to train or time")
        }
        return (model, builder.build())
    }

    /// `context` names the config the model is written in (errors read "<context> model '<name>': …").
    public func validate(_ context: String) throws {
        let check = ConfigCheck("\(context) model '\(name)'")
        try check.counts(["layers": layers ?? 1, "width": width ?? 64, "stateSize": stateSize ?? 1, "convWidth": convWidth ?? 1,
                          "expand": expand ?? 1, "heads": heads ?? 2, "inner": inner ?? 1], maximum: 65_536)
        try check((0..<1).contains(dropout ?? 0), "dropout must lie in [0, 1), got \(dropout ?? 0)")
        try check((0..<1).contains(attentionDropout ?? 0), "attentionDropout must lie in [0, 1), got \(attentionDropout ?? 0)")
        try check(norm == nil || kind == .sasrec, "norm (pre or post) applies to sasrec only, not \(kind.rawValue)")
        try check(attentionDropout == nil || (kind == .sasrec && norm == .post),
                  "attentionDropout applies to sasrec with norm: post only (the pre-norm blocks drop no attention probabilities)")
        try check(bias == nil || kind == .gru4rec, "bias applies to gru4rec only, not \(kind.rawValue)")
        try check((width ?? 64) % (heads ?? 2) == 0, "width \(width ?? 64) must be divisible by heads \(heads ?? 2)")
    }
}
