import Foundation
import Suite

/// One model trained by RecBole 1.2.1 on the same data and protocol (`scripts/recbole_reference.py`),
/// read from the CSVs it writes into `reproductions/ssm-recsys/reference/recbole/`.
struct RecBoleReference: Sendable {
    struct Epoch: Sendable {
        var epoch: Int
        var seconds: Double
        var validationNDCG: Double
    }

    /// The best-validation epoch's test metrics, once training stopped.
    struct Outcome: Sendable {
        var bestEpoch: Int
        var epochs: Int
        /// "patience" (converged), "epochs", "time budget" or "interrupted".
        var stopped: String
        var hr: Double, ndcg: Double, mrr: Double
        var secondsPerEpoch: Double
        var threads: Int
        var versions: String
    }

    static let folder = "recbole"
    /// RecBole's default seed, which the committed references use.
    static let seed = 2020
    /// Our model names and RecBole's for the models both implement.
    static let models = [(ours: SSMRecsys.sasrec, recbole: "SASRec"), (ours: SSMRecsys.gru, recbole: "GRU4Rec")]

    /// The committed reference of our model `name` (SASRec or GRU4Rec), if any.
    static func of(_ name: String, in results: ResultSet) throws -> RecBoleReference? {
        guard let directory = results.referenceDirectory, let pair = models.first(where: { $0.ours == name }) else { return nil }
        return try read(pair.recbole, seed: seed, from: directory)
    }

    var model: String
    var seed: Int
    var epochs: [Epoch]
    /// Nil while the script is still training (or was killed before testing).
    var outcome: Outcome?

    /// The file stem the script writes for `model` (RecBole's model name) and `seed`.
    static func stem(_ model: String, seed: Int) -> String { "\(model.lowercased())-seed\(seed)" }

    /// The reference of `model` in `directory`; nil when the script has not written its epochs file.
    static func read(_ model: String, seed: Int, from directory: URL) throws -> RecBoleReference? {
        let folder = directory.appendingPathComponent(folder), stem = stem(model, seed: seed)
        let epochsURL = folder.appendingPathComponent("\(stem)-epochs.csv"), testURL = folder.appendingPathComponent("\(stem)-test.csv")
        guard FileManager.default.fileExists(atPath: epochsURL.path) else { return nil }
        let epochs = try rows(epochsURL, ["epoch", "seconds", "valid_ndcg10"]).map { row in
            Epoch(epoch: try row.int("epoch"), seconds: try row.double("seconds"), validationNDCG: try row.double("valid_ndcg10"))
        }
        guard !epochs.isEmpty else { throw SuiteError("\(epochsURL.path) has no epoch; re-run scripts/recbole_reference.py") }
        var outcome: Outcome?
        if FileManager.default.fileExists(atPath: testURL.path) {
            let test = try rows(testURL, ["best_epoch", "epochs", "stopped", "test_hr10", "test_ndcg10", "test_mrr10", "seconds_per_epoch",
                                          "threads", "recbole", "torch", "numpy"])
            guard test.count == 1, let row = test.first else { throw SuiteError("\(testURL.path) must hold exactly one result row, has \(test.count)") }
            outcome = Outcome(bestEpoch: try row.int("best_epoch"), epochs: try row.int("epochs"), stopped: try row.text("stopped"),
                              hr: try row.double("test_hr10"), ndcg: try row.double("test_ndcg10"), mrr: try row.double("test_mrr10"),
                              secondsPerEpoch: try row.double("seconds_per_epoch"), threads: try row.int("threads"),
                              versions: "RecBole \(try row.text("recbole")), torch \(try row.text("torch")), numpy \(try row.text("numpy"))")
        }
        return RecBoleReference(model: model, seed: seed, epochs: epochs, outcome: outcome)
    }

    /// A CSV row whose cells are read by column name, with errors that name the file, row and column.
    struct Row {
        let url: URL, number: Int
        let cells: [String: String]

        func text(_ column: String) throws -> String { cells[column]! }

        func double(_ column: String) throws -> Double {
            guard let v = Double(cells[column]!), v.isFinite else {
                throw SuiteError("\(url.path), row \(number): \(column) '\(cells[column]!)' is not a finite number")
            }
            return v
        }

        func int(_ column: String) throws -> Int {
            guard let v = Int(cells[column]!) else { throw SuiteError("\(url.path), row \(number): \(column) '\(cells[column]!)' is not an integer") }
            return v
        }
    }

    static func rows(_ url: URL, _ required: [String]) throws -> [Row] {
        let table = try ResultTable.read(csv: url)
        let missing = required.filter { !table.columns.contains($0) }
        guard missing.isEmpty else {
            throw SuiteError("\(url.path) lacks the column(s) \(missing.joined(separator: ", ")); it was not written by scripts/recbole_reference.py")
        }
        return table.rows.enumerated().map { n, cells in
            Row(url: url, number: n + 1, cells: Dictionary(uniqueKeysWithValues: zip(table.columns, cells)))
        }
    }
}
