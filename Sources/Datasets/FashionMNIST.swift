import Foundation

/// Fashion-MNIST (Xiao, Rasul & Vollgraf 2017): 28×28 grey images of clothing in 10 classes,
/// 60,000 for training and 10,000 for testing, as four gzip'd IDX files.
public enum FashionMNIST {
    static let upstream = "https://github.com/zalandoresearch/fashion-mnist/raw/master/data/fashion/"
    static let mirror = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"
    static let debian = "Debian dataset-fashion-mnist 0.0~git20200523, re-compressed"

    static func file(_ name: String, upstream upstreamDigest: String, debian debianDigest: String) -> RawFile {
        RawFile(name: name, urls: [upstream + name, mirror + name],
                sha256: [(upstreamDigest, "zalandoresearch/fashion-mnist"), (debianDigest, debian)])
    }

    public static let spec = DatasetSpec(
        name: "fashion-mnist",
        summary: "60,000 + 10,000 grey 28x28 clothing images, 10 classes (IDX)",
        license: "MIT",
        homepage: "https://github.com/zalandoresearch/fashion-mnist",
        files: [
            file("train-images-idx3-ubyte.gz",
                 upstream: "08dc20ab1689590a0bcd66e874647b6ee8464e2d501b5a3f1f78831db19a3fdc",
                 debian: "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7"),
            file("train-labels-idx1-ubyte.gz",
                 upstream: "b0197879cbda89f3dc7b894f9fd52b858e68ea4182b6947c9d8c2b67e5f18dcc",
                 debian: "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056"),
            file("t10k-images-idx3-ubyte.gz",
                 upstream: "78dcbbfb5a27efaf1b6c1d616caca68560be8766c5bffcb2791df9273a534229",
                 debian: "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa"),
            file("t10k-labels-idx1-ubyte.gz",
                 upstream: "42bd18137a62d5998cdeae52bf3a0676ac6b706f5cf8439b47bb5b151ae3dccf",
                 debian: "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05"),
        ],
        parser: Parser(),
        preprocessingVersion: 1,
        systemDirectories: ["/usr/share/datasets/fashion-mnist"],
        sampleFiles: [
            "train-images-idx3-ubyte.gz": "samples/fashion-mnist/train-images-idx3-ubyte.gz",
            "train-labels-idx1-ubyte.gz": "samples/fashion-mnist/train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz": "samples/fashion-mnist/t10k-images-idx3-ubyte.gz",
            "t10k-labels-idx1-ubyte.gz": "samples/fashion-mnist/t10k-labels-idx1-ubyte.gz",
        ]
    )

    /// Arrays: `train.images` [n, 28, 28] and `test.images` (uint8 pixels, 0 = background),
    /// `train.labels` [n] and `test.labels` (uint8 class 0…9).
    public struct Parser: DatasetParser {
        public init() {}

        public func parse(files: [String: URL], dataset: String) throws -> ParsedDataset {
            var arrays: [DatasetArray] = []
            for (split, prefix) in [("train", "train"), ("test", "t10k")] {
                let images = try read(files, "\(prefix)-images-idx3-ubyte.gz", "\(split).images", dataset)
                let labels = try read(files, "\(prefix)-labels-idx1-ubyte.gz", "\(split).labels", dataset)
                guard images.dtype == .uint8, images.shape.count == 3,
                      labels.dtype == .uint8, labels.shape.count == 1, labels.shape[0] == images.shape[0] else {
                    throw DatasetError(dataset, .malformedRawFile,
                                       "\(prefix) images have shape \(images.shape) (\(images.dtype)) and labels \(labels.shape) (\(labels.dtype)); expected uint8 [n, rows, cols] and [n]")
                }
                if let bad = labels.integers.first(where: { $0 > 9 }) {
                    throw DatasetError(dataset, .malformedRawFile, "\(prefix) labels contain class \(bad); expected 0…9")
                }
                arrays += [images, labels]
            }
            return ParsedDataset(arrays: arrays, attributes: ["classes": 10])
        }

        private func read(_ files: [String: URL], _ file: String, _ name: String, _ dataset: String) throws -> DatasetArray {
            guard let url = files[file] else {
                throw DatasetError(dataset, .missingRawFile, "\(file) was not given to the parser")
            }
            return try IDXReader.read(openByteSource(url, dataset: dataset), arrayName: name, dataset: dataset)
        }
    }
}
