import Datasets
import Engine
import Suite

/// Fashion-MNIST as normalised float images `[n, 1, 28, 28]` and labels, with the batch builder the
/// model-parallel paper's image experiment and the optimizer benchmark's ResNet workloads train on
/// (optional random-shift-and-flip augmentation).
public struct FashionMNISTImages {
    /// Mean and standard deviation of the training pixels (scaled to [0, 1]).
    public static let mean: Float = 0.2860, std: Float = 0.3530
    public static let side = 28

    public let train: [Float], trainLabels: [Int]
    public let test: [Float], testLabels: [Int]
    public let provenance: String

    public var trainCount: Int { trainLabels.count }
    public var testCount: Int { testLabels.count }

    public init(_ choice: DataChoice, trainSize: Int?, testSize: Int?) throws {
        let cache = DatasetCache(root: DatasetCache.defaultRoot) { _ in }
        let dataset = choice == .sample ? try cache.loadSample(FashionMNIST.spec.name)
                                        : try cache.load(FashionMNIST.spec.name, allowSample: false)
        func split(_ name: String, _ size: Int?) throws -> ([Float], [Int]) {
            let images = try dataset.array("\(name).images"), labels = try dataset.array("\(name).labels").integers
            let n = min(size ?? labels.count, labels.count)
            guard n > 0 else { throw SuiteError("\(dataset.name): the \(name) split is empty") }
            let pixels = Self.side * Self.side
            let raw = images.tensor(scale: 1 / 255).scalars
            return (raw[0..<(n * pixels)].map { ($0 - Self.mean) / Self.std }, Array(labels[0..<n]))
        }
        (train, trainLabels) = try split("train", trainSize)
        (test, testLabels) = try split("test", testSize)
        provenance = dataset.provenance
    }

    /// Training images `ids` as `[ids.count, 1, 28, 28]`; with `augment`, each is shifted by up to
    /// 2 pixels each way (a random 28×28 crop of the image padded by 2, background filling the
    /// border) and mirrored with probability ½.
    public func trainBatch(_ ids: ArraySlice<Int>, augment: Bool, rng: inout RNG) -> Tensor {
        let side = Self.side, pixels = side * side, background = -Self.mean / Self.std
        var x = Tensor(zeros: [ids.count, 1, side, side])
        x.withUnsafeMutableBufferPointer { out in
            train.withUnsafeBufferPointer { src in
                for (row, id) in ids.enumerated() {
                    let image = src.baseAddress! + id * pixels, dst = out.baseAddress! + row * pixels
                    guard augment else { dst.update(from: image, count: pixels); continue }
                    let dy = rng.int(below: 5) - 2, dx = rng.int(below: 5) - 2, flip = rng.int(below: 2) == 1
                    for i in 0..<side {
                        for j in 0..<side {
                            let (si, sj) = (i + dy, (flip ? side - 1 - j : j) + dx)
                            dst[i * side + j] = (0..<side).contains(si) && (0..<side).contains(sj) ? image[si * side + sj] : background
                        }
                    }
                }
            }
        }
        return x
    }

    /// Test images `start..<end` as `[end − start, 1, 28, 28]`.
    public func testBatch(_ range: Range<Int>) -> Tensor {
        let pixels = Self.side * Self.side
        var x = Tensor(zeros: [range.count, 1, Self.side, Self.side])
        x.withUnsafeMutableBufferPointer { out in
            test.withUnsafeBufferPointer { src in out.baseAddress!.update(from: src.baseAddress! + range.lowerBound * pixels, count: range.count * pixels) }
        }
        return x
    }
}
