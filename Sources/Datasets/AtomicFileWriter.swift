import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a file so that readers see either nothing or the complete file: the bytes go to
/// `<name>.tmp-<pid>-<n>` in the same directory, are flushed to disk, and the temp file is then
/// renamed over the final name (atomic on POSIX file systems). A crash leaves only a temp file,
/// which `removeAbandonedTempFiles` deletes later.
final class AtomicFileWriter {
    let destination: URL
    let tempURL: URL
    private var fd: Int32
    private let dataset: String
    private var committed = false
    /// SHA-256 of every byte written so far.
    private(set) var digest = SHA256()

    init(_ destination: URL, dataset: String) throws {
        self.destination = destination
        self.dataset = dataset
        let directory = destination.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw DatasetError(dataset, .io, "cannot create \(directory.path): \(error.localizedDescription); set $REPRO_CACHE to a writable directory")
        }
        let unique = "\(getpid())-\(DispatchTime.now().uptimeNanoseconds)"
        tempURL = directory.appendingPathComponent(destination.lastPathComponent + AtomicFileWriter.tempMarker + unique)
        fd = Glibc.open(tempURL.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        if fd < 0 {
            throw DatasetError(dataset, .io, "cannot create \(tempURL.path): \(String(cString: strerror(errno))); set $REPRO_CACHE to a writable directory")
        }
    }

    deinit {
        if fd >= 0 { close(fd) }
        if !committed { unlink(tempURL.path) }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        digest.update(bufferPointer: bytes)
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw DatasetError(dataset, .io, "writing \(tempURL.path) failed: \(String(cString: strerror(errno)))")
            }
            done += n
        }
    }

    /// Flushes and renames the temp file into place.
    func commit() throws {
        if fsync(fd) != 0 || close(fd) != 0 {
            fd = -1
            throw DatasetError(dataset, .io, "flushing \(tempURL.path) failed: \(String(cString: strerror(errno)))")
        }
        fd = -1
        if rename(tempURL.path, destination.path) != 0 {
            throw DatasetError(dataset, .io, "renaming \(tempURL.lastPathComponent) to \(destination.path) failed: \(String(cString: strerror(errno)))")
        }
        committed = true
    }

    static let tempMarker = ".tmp-"

    /// Deletes temp files in `directory` left by writers that no longer run (their pid is gone) or
    /// that are more than a day old. Returns the names removed.
    @discardableResult
    static func removeAbandonedTempFiles(in directory: URL) -> [String] {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory.path) else { return [] }
        var removed: [String] = []
        for name in names {
            guard let marker = name.range(of: tempMarker, options: .backwards) else { continue }
            let pidText = name[marker.upperBound...].prefix { $0 != "-" }
            let path = directory.appendingPathComponent(name).path
            let writerGone = Int32(pidText).map { kill($0, 0) != 0 && errno == ESRCH } ?? true
            let modified = (try? fm.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? nil
            let stale = modified.map { Date().timeIntervalSince($0) > 86_400 } ?? false
            if writerGone || stale, (try? fm.removeItem(atPath: path)) != nil { removed.append(name) }
        }
        return removed
    }
}
