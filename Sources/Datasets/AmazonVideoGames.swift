import Foundation

/// Amazon Video Games reviews (McAuley et al.) as preprocessed by SASRec (Kang & McAuley 2018):
/// 5-core filtered, one `user item` pair per line, ids from 1, each user's lines in time order.
/// The split is SASRec's leave-one-out: a user's last item is the test target, the second-last the
/// validation target, the rest is training; users with fewer than 3 interactions train on all.
public enum AmazonVideoGames {
    public static let spec = DatasetSpec(
        name: "amazon-video-games",
        summary: "SASRec's Amazon Video Games sequences: 31,013 users, 23,715 items, leave-one-out",
        license: "preprocessing Apache-2.0 (kang205/SASRec); reviews from the Amazon review data, research use",
        homepage: "https://github.com/kang205/SASRec",
        files: [RawFile(
            name: "Video.txt",
            urls: ["https://raw.githubusercontent.com/kang205/SASRec/master/data/Video.txt"],
            sha256: [("b7376fe24430743f411dc7f567285657b2adb3f74361cc7ba0aee94f3024b651", "kang205/SASRec")])],
        parser: LeaveOneOutParser(),
        preprocessingVersion: 1,
        sampleFiles: ["Video.txt": "samples/video-games-synthetic.txt"]
    )
}
