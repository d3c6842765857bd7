import Engine

/// Counting arg-max hits of logits `[n, classes]`.
public enum Accuracy {
    public static func correct(_ logits: Tensor, labels: [Int]) -> Int {
        let classes = logits.shape.last!
        return logits.withUnsafeBufferPointer { p in
            labels.enumerated().reduce(0) { hits, item in
                let row = p[(item.offset * classes)..<((item.offset + 1) * classes)]
                return hits + (row.indices.max { row[$0] < row[$1] }! - item.offset * classes == item.element ? 1 : 0)
            }
        }
    }
}
