import Foundation

/// Writes to standard output and standard error that never stop the process. `FileHandle.write(_:)`
/// traps on a failed write, so a full disk behind `>`, a closed descriptor (`>&-`) or a reader that
/// went away killed the command, and every run in flight with it.
public enum StandardStreams {
    /// A failed write to standard output: a data output (a CSV on stdout) that did not arrive.
    public struct WriteFailure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Writes a diagnostic to standard error. A failed write is dropped: there is nowhere left to report it.
    public static func diagnostic(_ text: String) { try? FileHandle.standardError.write(contentsOf: Data(text.utf8)) }

    /// Writes a progress or log line to standard output, dropping a failed write like `diagnostic`.
    public static func message(_ text: String) { try? FileHandle.standardOutput.write(contentsOf: Data(text.utf8)) }

    /// Writes data to standard output; throws when it cannot be written.
    public static func output(_ data: Data) throws {
        do {
            try FileHandle.standardOutput.write(contentsOf: data)
        } catch {
            throw WriteFailure(description: "cannot write to standard output: \(reason(error))")
        }
    }

    /// strerror's text for a POSIX error, else the error's own description.
    public static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        let cocoa = [NSFileWriteOutOfSpaceError: ENOSPC, NSFileWriteVolumeReadOnlyError: EROFS, NSFileWriteNoPermissionError: EACCES,
                     NSFileNoSuchFileError: ENOENT, NSFileWriteFileExistsError: EEXIST]
        if ns.domain == NSCocoaErrorDomain, let code = cocoa[ns.code] { return String(cString: strerror(code)) }
        return ns.localizedDescription
    }
}
