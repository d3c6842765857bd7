import Foundation

/// GRU4Rec (Hidasi et al. 2016) in the form RecBole trains it with a cross-entropy loss over all
/// items (`recbole/model/sequential_recommender/gru4rec.py`):
///
///   h = GRU(Dropout(E[items]))        one layer, h_{−1} = 0
///   out = W h + b                     (hidden → embedding size)
///   score(item) = out_t · E[item]     (tied embeddings)
///
/// Initialisation as RecBole: embedding Xavier normal, GRU weights Xavier uniform, the output layer
/// PyTorch's default. RecBole's GRU has no biases (`nn.GRU(bias=False)`); `bias` adds both, with
/// PyTorch's default initialisation.
public struct GRU4Rec: SequentialRecommender {
    public struct Config: Sendable, Codable, Equatable {
        public var items: Int
        public var width: Int
        public var hidden: Int
        public var dropout: Float
        public var bias: Bool

        /// RecBole's defaults: embedding and hidden size 64, dropout 0.3, no GRU biases.
        public init(items: Int, width: Int = 64, hidden: Int = 64, dropout: Float = 0.3, bias: Bool = false) {
            self.items = items
            self.width = width
            self.hidden = hidden
            self.dropout = dropout
            self.bias = bias
        }
    }

    public let config: Config
    public let itemEmbedding: Embedding
    public let embeddingDropout: Dropout
    public let gru: GRU
    public let output: Linear

    public var items: Int { config.items }
    public var itemTable: ParamRef { itemEmbedding.table }

    public init(_ config: Config, builder: inout ParameterBuilder) {
        self.config = config
        let xavierNormalStd = (2 / Float(config.items + 1 + config.width)).squareRoot()
        itemEmbedding = Embedding("gru4rec.items", count: config.items + 1, dimension: config.width, paddingIndex: 0,
                                  std: xavierNormalStd, builder: &builder)
        embeddingDropout = Dropout("gru4rec.embedding.dropout", rate: config.dropout)
        gru = GRU("gru4rec.gru", inputSize: config.width, hiddenSize: config.hidden, bias: config.bias, initializer: { fanIn, fanOut in
            let bound = (6 / Float(fanIn + fanOut)).squareRoot()
            return .uniform(low: -bound, high: bound)
        }, builder: &builder)
        output = Linear("gru4rec.dense", config.hidden, config.width, builder: &builder)
    }

    public func callAsFunction(_ ids: [Int], batch: Int, mode: ForwardMode, on tape: Tape) -> Var {
        precondition(batch > 0 && ids.count % batch == 0, "GRU4Rec: \(ids.count) ids do not split into \(batch) rows")
        let e = embeddingDropout(itemEmbedding(ids, shape: [batch, ids.count / batch], on: tape), mode: mode)
        return output(gru(e))
    }
}
