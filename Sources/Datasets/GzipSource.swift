import CZlib
import Foundation

/// Inflates a gzip stream (RFC 1952) as it is read, with zlib's streaming `inflate`. Concatenated
/// gzip members are read as one stream, as `gzip -d` does.
public final class GzipSource: ByteSource {
    private let file: FileSource
    private var stream = z_stream()
    private var input: UnsafeMutableRawBufferPointer
    private var finished = false
    private let dataset: String
    public var label: String { file.label }

    public init(_ file: FileSource, dataset: String) throws {
        self.file = file
        self.dataset = dataset
        input = .allocate(byteCount: 1 << 16, alignment: 16)
        // 15 window bits plus 16 selects the gzip wrapper rather than zlib's.
        let status = inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        if status != Z_OK {
            input.deallocate()
            throw DatasetError(dataset, .io, "zlib could not start inflating \(file.label) (status \(status))")
        }
    }

    deinit {
        inflateEnd(&stream)
        input.deallocate()
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0, !finished else { return 0 }
        stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = UInt32(min(buffer.count, Int(UInt32.max)))
        let wanted = Int(stream.avail_out)
        while stream.avail_out > 0 {
            if stream.avail_in == 0 {
                let n = try file.read(into: input)
                if n == 0 {
                    throw DatasetError(dataset, .malformedRawFile,
                                       "\(label) ends in the middle of its gzip stream; the file is truncated, fetch or import it again")
                }
                stream.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_in = UInt32(n)
            }
            let status = inflate(&stream, Z_NO_FLUSH)
            if status == Z_STREAM_END {
                if try !startNextMember() { finished = true; break }
            } else if status != Z_OK && status != Z_BUF_ERROR {
                let reason = stream.msg.map { String(cString: $0) } ?? "status \(status)"
                throw DatasetError(dataset, .malformedRawFile,
                                   "\(label) is not valid gzip data (\(reason)); fetch or import it again")
            }
        }
        return wanted - Int(stream.avail_out)
    }

    /// After one member ends, another may follow; returns false at the true end of the file.
    private func startNextMember() throws -> Bool {
        if stream.avail_in == 0 {
            let n = try file.read(into: input)
            if n == 0 { return false }
            stream.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.avail_in = UInt32(n)
        }
        inflateReset(&stream)
        return true
    }
}
