import Tasks
import XCTest

final class RecommenderSpecTests: XCTestCase {
    func testModelOptionsApplyOnlyWhereTheyMeanSomething() throws {
        XCTAssertNoThrow(try RecommenderSpec(name: "s", kind: .sasrec, norm: .post, attentionDropout: 0.2).validate("ssm-recsys"))
        XCTAssertNoThrow(try RecommenderSpec(name: "g", kind: .gru4rec, bias: true).validate("ssm-recsys"))
        for (spec, message) in [(RecommenderSpec(name: "g", kind: .gru4rec, norm: .post), "norm (pre or post) applies to sasrec only"),
                                (RecommenderSpec(name: "s", kind: .sasrec, attentionDropout: 0.2), "attentionDropout applies to sasrec with norm: post only"),
                                (RecommenderSpec(name: "m", kind: .mamba4rec, bias: true), "bias applies to gru4rec only"),
                                (RecommenderSpec(name: "s", kind: .sasrec, norm: .post, attentionDropout: 1), "attentionDropout must lie in [0, 1)")] {
            XCTAssertThrowsError(try spec.validate("ssm-recsys")) { XCTAssertTrue("\($0)".contains("ssm-recsys model '\(spec.name)': \(message)"), "\($0)") }
        }
    }
}
