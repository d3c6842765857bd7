import Foundation

extension Data {
    /// Writes the bytes to `url` through a temporary file beside it and one rename(2), so an
    /// interrupted write leaves the old file or none, never half a file that reads as complete.
    func writeAtomically(to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw SuiteError.write(url, error)
        }
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try write(to: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw SuiteError.write(url, error)
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw SuiteError("cannot write \(url.path): \(reason)", kind: .io)
        }
    }
}
