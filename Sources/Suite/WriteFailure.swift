import Engine
import Foundation

extension SuiteError {
    /// A failed write of `url`: what failed, where, why, and the space left on that file system,
    /// since a full disk is the usual cause and the raw error ("NSCocoaErrorDomain Code=512") says
    /// none of it.
    public static func write(_ url: URL, _ error: any Error) -> SuiteError {
        if let suite = error as? SuiteError, suite.kind == .io { return suite }
        let free = freeSpace(near: url).map { " (\(MemoryEstimate.format(Int($0))) free there)" } ?? ""
        return SuiteError("cannot write \(url.path): \(StandardStreams.reason(error))\(free); "
                          + "free some space or choose another folder (--results, --plots, --output)", kind: .io)
    }

    /// `error` as a failed write, when it is one (a run's own artifact writes throw Foundation's
    /// errors): out of space, read-only, permission or I/O errors, named by the file when the error
    /// says which, else by `folder`.
    static func writeFailure(_ error: any Error, in folder: URL) -> SuiteError? {
        if let suite = error as? SuiteError { return suite.kind == .io ? suite : nil }
        let ns = error as NSError
        let posix = ns.domain == NSPOSIXErrorDomain ? ns.code : (ns.userInfo[NSUnderlyingErrorKey] as? NSError).flatMap {
            $0.domain == NSPOSIXErrorDomain ? $0.code : nil
        }
        let writeCodes = [NSFileWriteUnknownError, NSFileWriteNoPermissionError, NSFileWriteOutOfSpaceError, NSFileWriteVolumeReadOnlyError]
        let posixWrite = [ENOSPC, EDQUOT, EROFS, EIO, EACCES, EPERM, EPIPE, EBADF].map(Int.init)
        guard (ns.domain == NSCocoaErrorDomain && writeCodes.contains(ns.code)) || posix.map(posixWrite.contains) == true else { return nil }
        let path = (ns.userInfo[NSFilePathErrorKey] as? String).map { URL(fileURLWithPath: $0) } ?? folder
        return write(path, error)
    }

    /// Bytes available to this user on the file system holding `url` (or its nearest existing ancestor).
    static func freeSpace(near url: URL) -> Int64? {
        var folder = url
        while !FileManager.default.fileExists(atPath: folder.path) && folder.path != "/" { folder = folder.deletingLastPathComponent() }
        var info = statvfs()
        guard statvfs(folder.path, &info) == 0 else { return nil }
        return Int64(info.f_bavail) * Int64(info.f_frsize)
    }
}
