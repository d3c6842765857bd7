import Foundation
import Suite
import XCTest
@testable import SSMRecsys

final class RecBoleReferenceTests: XCTestCase {
    func folder() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("recbole-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("recbole"), withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        return root
    }

    func write(_ text: String, _ name: String, in root: URL) throws {
        try Data(text.utf8).write(to: root.appendingPathComponent("recbole").appendingPathComponent(name))
    }

    static let epochs = """
        epoch,train_loss,seconds,valid_hr10,valid_ndcg10,valid_mrr10
        1,909.623854,329.96,0.021418,0.010643,0.007367
        2,880.100000,302.00,0.023000,0.011600,0.008000

        """

    func testReadsTheScriptsFilesAndSaysWhenTrainingHasNotFinished() throws {
        let root = try folder()
        XCTAssertNil(try RecBoleReference.read("SASRec", seed: 2020, from: root), "no files: no reference")
        try write(Self.epochs, "sasrec-seed2020-epochs.csv", in: root)
        let running = try XCTUnwrap(RecBoleReference.read("SASRec", seed: 2020, from: root))
        XCTAssertEqual(running.epochs.map(\.epoch), [1, 2])
        XCTAssertEqual(running.epochs.map(\.validationNDCG), [0.010643, 0.0116])
        XCTAssertNil(running.outcome)
        XCTAssertTrue(RecsysTables.referenceRow(["SASRec", "RecBole"], running).contains("not finished: no test result yet"))

        try write("""
            best_epoch,epochs,stopped,test_hr10,test_ndcg10,test_mrr10,seconds_per_epoch,threads,recbole,torch,numpy
            2,2,time budget,0.0412,0.0215,0.0155,315.98,2,1.2.1,2.15.0,2.4.6

            """, "sasrec-seed2020-test.csv", in: root)
        let done = try XCTUnwrap(try RecBoleReference.read("SASRec", seed: 2020, from: root)?.outcome)
        XCTAssertEqual([done.hr, done.ndcg, done.mrr], [0.0412, 0.0215, 0.0155])
        XCTAssertEqual(done.stopped, "time budget")
        XCTAssertEqual(done.versions, "RecBole 1.2.1, torch 2.15.0, numpy 2.4.6")
        XCTAssertEqual(RecsysTables.percent(0.0206, 0.0215), "-4.2 %")
    }

    func testDamagedFilesNameTheFileAndTheColumn() throws {
        let root = try folder()
        try write("epoch,seconds\n1,3\n", "gru4rec-seed2020-epochs.csv", in: root)
        XCTAssertThrowsError(try RecBoleReference.read("GRU4Rec", seed: 2020, from: root)) {
            XCTAssertTrue("\($0)".contains("gru4rec-seed2020-epochs.csv lacks the column(s) valid_ndcg10"), "\($0)")
        }
        try write(Self.epochs.replacingOccurrences(of: "0.011600", with: "n/a"), "gru4rec-seed2020-epochs.csv", in: root)
        XCTAssertThrowsError(try RecBoleReference.read("GRU4Rec", seed: 2020, from: root)) {
            XCTAssertTrue("\($0)".contains("row 2: valid_ndcg10 'n/a' is not a finite number"), "\($0)")
        }
    }
}
