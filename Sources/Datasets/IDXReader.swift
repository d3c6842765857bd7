import Foundation

/// Reads the IDX format of LeCun's MNIST files (also Fashion-MNIST's): two zero bytes, a type code,
/// the number of dimensions, each dimension as a big-endian UInt32, then the elements row-major and
/// big-endian. The elements are read straight into the returned array.
public enum IDXReader {
    /// Five times the largest array of the IDX datasets read here (Fashion-MNIST's training images,
    /// 47 MB): room for a larger MNIST-style set, and a bound on what a damaged header can allocate.
    static let maxBytes = 256 << 20

    public static func read(_ source: ByteSource, arrayName: String, dataset: String) throws -> DatasetArray {
        var magic: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        try withUnsafeMutableBytes(of: &magic) {
            try source.readExactly(into: $0, what: "the IDX magic number", dataset: dataset)
        }
        guard magic.0 == 0, magic.1 == 0 else {
            throw DatasetError(dataset, .malformedRawFile,
                               "\(source.label) is not an IDX file (its first two bytes are \(magic.0), \(magic.1), not 0, 0)")
        }
        let dtype: DType
        switch magic.2 {
        case 0x08: dtype = .uint8
        case 0x0C: dtype = .int32
        case 0x0D: dtype = .float32
        default:
            throw DatasetError(dataset, .malformedRawFile,
                               "\(source.label) has IDX element type 0x\(String(magic.2, radix: 16)); only unsigned bytes (0x08), int32 (0x0C) and float32 (0x0D) are supported")
        }
        var shape: [Int] = []
        for d in 0..<Int(magic.3) {
            var bigEndian: UInt32 = 0
            try withUnsafeMutableBytes(of: &bigEndian) {
                try source.readExactly(into: $0, what: "IDX dimension \(d)", dataset: dataset)
            }
            shape.append(Int(UInt32(bigEndian: bigEndian)))
        }
        // A damaged header must stop here, not overflow the element count or allocate gigabytes
        // before the truncated body is noticed.
        var bytes = dtype.byteWidth
        for d in shape {
            let (product, overflow) = bytes.multipliedReportingOverflow(by: d)
            guard !overflow, product <= maxBytes else {
                throw DatasetError(dataset, .malformedRawFile,
                                   "\(source.label) declares shape \(shape), more than the \(maxBytes >> 20) MiB an IDX array may hold here; the header is damaged, fetch or import the file again")
            }
            bytes = product
        }
        var array = DatasetArray(name: arrayName, shape: shape, dtype: dtype)
        try array.withUnsafeMutableBytes {
            try source.readExactly(into: $0, what: "the \(shape) elements", dataset: dataset)
        }
        if dtype != .uint8 { array.swapFromBigEndian() }
        var trailing: UInt8 = 0
        if try withUnsafeMutableBytes(of: &trailing, { try source.read(into: $0) }) != 0 {
            throw DatasetError(dataset, .malformedRawFile,
                               "\(source.label) has bytes after the \(shape) elements its header declares")
        }
        return array
    }
}

extension DatasetArray {
    /// IDX stores multi-byte elements big-endian; the cache and the host are little-endian.
    mutating func swapFromBigEndian() {
        withUnsafeMutableBytes { raw in
            let words = raw.bindMemory(to: UInt32.self)
            for i in 0..<words.count { words[i] = UInt32(bigEndian: words[i]) }
        }
    }
}
