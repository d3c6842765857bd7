import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A forward-only stream of bytes: a plain file, or a gzip file inflated on the fly. Parsers read
/// through it straight into their destination arrays, so no file is ever held in memory whole.
public protocol ByteSource: AnyObject {
    /// Fills a prefix of `buffer` and returns its length; 0 only at the end of the stream.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// Names the stream in error messages.
    var label: String { get }
}

extension ByteSource {
    /// Fills all of `buffer` or throws, naming what was being read.
    func readExactly(into buffer: UnsafeMutableRawBufferPointer, what: String, dataset: String) throws {
        var filled = 0
        while filled < buffer.count {
            let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            if n == 0 {
                throw DatasetError(dataset, .malformedRawFile,
                                   "\(label) ends after \(filled) of the \(buffer.count) bytes of \(what); the file is truncated, fetch or import it again")
            }
            filled += n
        }
    }
}

/// Opens `url`, inflating it when its name ends in `.gz`.
public func openByteSource(_ url: URL, dataset: String) throws -> ByteSource {
    let file = try FileSource(url, dataset: dataset)
    return url.pathExtension == "gz" ? try GzipSource(file, dataset: dataset) : file
}

/// A file read with POSIX `read`, in whatever chunks the caller asks for.
public final class FileSource: ByteSource {
    private let fd: Int32
    public let label: String
    private let dataset: String

    public init(_ url: URL, dataset: String) throws {
        fd = Glibc.open(url.path, O_RDONLY)
        label = url.lastPathComponent
        self.dataset = dataset
        if fd < 0 {
            throw DatasetError(dataset, .io, "cannot open \(url.path): \(String(cString: strerror(errno)))")
        }
    }

    deinit { close(fd) }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno != EINTR {
                throw DatasetError(dataset, .io, "reading \(label) failed: \(String(cString: strerror(errno)))")
            }
        }
    }
}
