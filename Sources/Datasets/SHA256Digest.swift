import Crypto
import Engine
import Foundation

/// SHA-256 helpers: digests are lower-case hex strings, as `sha256sum` prints them.
enum SHA256Digest {
    static func hex(_ digest: SHA256.Digest) -> String {
        digest.hexString
    }

    /// Hashes a file in 1 MiB chunks through one reused buffer.
    static func ofFile(_ url: URL, dataset: String) throws -> String {
        let source = try FileSource(url, dataset: dataset)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        var hasher = SHA256()
        while true {
            let n = try source.read(into: buffer)
            if n == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[..<n]))
        }
        return hex(hasher.finalize())
    }
}
