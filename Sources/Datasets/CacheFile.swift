import Crypto
import Foundation

/// Describes a cache entry; stored as JSON between the fixed prefix and the compressed payload.
public struct CacheHeader: Codable, Equatable {
    public struct ArrayLayout: Codable, Equatable {
        public let name: String
        public let dtype: DType
        public let shape: [Int]
        var byteCount: Int { shape.reduce(1, *) * dtype.byteWidth }
    }

    public let dataset: String
    public let preprocessingVersion: Int
    /// SHA-256 of each raw file the entry was built from, by file name; a registry whose accepted
    /// digests no longer include these makes the entry stale.
    public let rawSHA256: [String: String]
    public let isSample: Bool
    public let arrays: [ArrayLayout]
    public let attributes: [String: Int]
    /// Little-endian elements of every array, concatenated in order.
    public let payloadBytes: Int
    public let payloadSHA256: String
}

/// The cache file format, version 1:
///
///     "RPRODSET"                  8 bytes, magic
///     format version              UInt32 little-endian
///     header length h             UInt32 little-endian
///     header SHA-256              32 bytes, digest of the h header bytes
///     header                      h bytes of JSON (`CacheHeader`)
///     payload                     one zstd frame (with zstd's content checksum) of `payloadBytes`
///     file SHA-256                32 bytes, digest of everything before it
///
/// The header's `payloadSHA256` checks the decompressed arrays; the trailing digest makes any
/// changed byte of the file detectable, even one zstd would decode to the same content.
/// Writing hashes the arrays in place, then streams them through the compressor; reading streams
/// the decompressor straight into freshly allocated arrays. The dataset is never held twice.
public enum CacheFile {
    static let magic = Array("RPRODSET".utf8)
    public static let formatVersion: UInt32 = 1
    static let prefixLength = 16 + 32

    static func payloadDigest(_ arrays: [DatasetArray]) -> String {
        var hasher = SHA256()
        for a in arrays { a.withUnsafeBytes { hasher.update(bufferPointer: $0) } }
        return SHA256Digest.hex(hasher.finalize())
    }

    public static func write(_ data: ParsedDataset, dataset: String, preprocessingVersion: Int,
                             rawSHA256: [String: String], isSample: Bool, to url: URL) throws {
        #if _endian(big)
        #error("the cache format stores little-endian arrays")
        #endif
        let header = CacheHeader(
            dataset: dataset, preprocessingVersion: preprocessingVersion, rawSHA256: rawSHA256,
            isSample: isSample,
            arrays: data.arrays.map { .init(name: $0.name, dtype: $0.dtype, shape: $0.shape) },
            attributes: data.attributes,
            payloadBytes: data.arrays.reduce(0) { $0 + $1.byteCount },
            payloadSHA256: payloadDigest(data.arrays))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try encoder.encode(header)
        let writer = try AtomicFileWriter(url, dataset: dataset)
        var prefix = magic
        withUnsafeBytes(of: formatVersion.littleEndian) { prefix += $0 }
        withUnsafeBytes(of: UInt32(json.count).littleEndian) { prefix += $0 }
        prefix += Array(SHA256.hash(data: json))
        try prefix.withUnsafeBytes { try writer.write($0) }
        try json.withUnsafeBytes { try writer.write($0) }
        let compressor = try ZstdCompressor(sink: writer, dataset: dataset)
        for a in data.arrays { try a.withUnsafeBytes { try compressor.write($0) } }
        try compressor.finish()
        let fileDigest = Array(writer.digest.finalize())
        try fileDigest.withUnsafeBytes { try writer.write($0) }
        try writer.commit()
    }

    /// Reads only the header: cheap, for listing and staleness checks.
    public static func readHeader(_ url: URL, dataset: String) throws -> CacheHeader {
        try readHeader(FileSource(url, dataset: dataset), fileName: url.lastPathComponent, dataset: dataset)
    }

    static func readHeader(_ source: FileSource, fileName: String, dataset: String) throws -> CacheHeader {
        func corrupt(_ reason: String) -> DatasetError {
            DatasetError(dataset, .cacheCorrupt, "cache file \(fileName) is damaged (\(reason))")
        }
        var prefix = [UInt8](repeating: 0, count: prefixLength)
        do {
            try prefix.withUnsafeMutableBytes { try source.readExactly(into: $0, what: "the cache prefix", dataset: dataset) }
        } catch let e as DatasetError where e.kind == .malformedRawFile {
            throw corrupt("shorter than its \(prefixLength)-byte prefix")
        }
        guard Array(prefix[0..<8]) == magic else { throw corrupt("wrong magic bytes") }
        let version = prefix.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt32.self)) }
        guard version == formatVersion else {
            throw DatasetError(dataset, .cacheCorrupt,
                               "cache file \(fileName) has format version \(version); this build reads version \(formatVersion)")
        }
        let length = Int(prefix.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 12, as: UInt32.self)) })
        guard length <= 1 << 24 else { throw corrupt("header length \(length) is implausible") }
        var json = [UInt8](repeating: 0, count: length)
        do {
            try json.withUnsafeMutableBytes { try source.readExactly(into: $0, what: "the cache header", dataset: dataset) }
        } catch let e as DatasetError where e.kind == .malformedRawFile {
            throw corrupt("the header is cut short")
        }
        // JSON stays parseable under many single-byte changes (a digit in a shape), so the header
        // carries its own digest rather than relying on the decoder to notice.
        guard Array(SHA256.hash(data: json)) == Array(prefix[16..<prefixLength]) else {
            throw corrupt("the header's SHA-256 does not match")
        }
        guard let header = try? JSONDecoder().decode(CacheHeader.self, from: Data(json)) else {
            throw corrupt("the header is not valid JSON")
        }
        guard header.dataset == dataset,
              header.arrays.allSatisfy({ $0.shape.allSatisfy { $0 >= 0 } }),
              header.arrays.reduce(0, { $0 + $1.byteCount }) == header.payloadBytes else {
            throw corrupt("the header's dataset or array sizes are inconsistent")
        }
        return header
    }

    /// Reads and checks a whole entry: zstd's frame checksum and the payload's SHA-256 must match.
    public static func read(_ url: URL, dataset: String) throws -> (CacheHeader, ParsedDataset) {
        try checkFileDigest(url, dataset: dataset)
        let source = try FileSource(url, dataset: dataset)
        let header = try readHeader(source, fileName: url.lastPathComponent, dataset: dataset)
        let decompressor = try ZstdDecompressor(source: source, dataset: dataset, fileName: url.lastPathComponent)
        var hasher = SHA256()
        var arrays: [DatasetArray] = []
        arrays.reserveCapacity(header.arrays.count)
        for layout in header.arrays {
            var a = DatasetArray(name: layout.name, shape: layout.shape, dtype: layout.dtype)
            try a.withUnsafeMutableBytes {
                try decompressor.read(into: $0)
                hasher.update(bufferPointer: UnsafeRawBufferPointer($0))
            }
            arrays.append(a)
        }
        try decompressor.finish(trailingBytes: 32)
        let digest = SHA256Digest.hex(hasher.finalize())
        guard digest == header.payloadSHA256 else {
            throw DatasetError(dataset, .cacheCorrupt,
                               "cache file \(url.lastPathComponent) is damaged (payload SHA-256 \(digest), header says \(header.payloadSHA256))")
        }
        return (header, ParsedDataset(arrays: arrays, attributes: header.attributes))
    }

    /// Hashes the file up to its last 32 bytes and compares with them (a read pass over the
    /// compressed bytes through one buffer; cheap next to decompression).
    static func checkFileDigest(_ url: URL, dataset: String) throws {
        let source = try FileSource(url, dataset: dataset)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        var hasher = SHA256()
        var tail: [UInt8] = []
        while true {
            let n = try source.read(into: buffer)
            if n == 0 { break }
            // Hold back the last 32 bytes seen: they are the digest if the file ends here.
            tail += UnsafeRawBufferPointer(rebasing: buffer[..<n])
            if tail.count > 32 {
                tail.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[..<(tail.count - 32)])) }
                tail.removeFirst(tail.count - 32)
            }
        }
        guard tail.count == 32, Array(hasher.finalize()) == tail else {
            throw DatasetError(dataset, .cacheCorrupt,
                               "cache file \(url.lastPathComponent) is damaged (its trailing SHA-256 does not match its contents)")
        }
    }
}
