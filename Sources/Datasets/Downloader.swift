import Crypto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Downloads one URL into an `AtomicFileWriter`, hashing the bytes as they arrive, with URLSession's
/// data delegate (so the body is streamed to disk, never held whole).
final class Downloader: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let writer: AtomicFileWriter
    private let progress: ProgressBar?
    private var hasher = SHA256()
    private var received: Int64 = 0
    private var expected: Int64?
    private var failure: Error?
    private var statusCode = 200
    private let done = DispatchSemaphore(value: 0)

    private init(writer: AtomicFileWriter, progress: ProgressBar?) {
        self.writer = writer
        self.progress = progress
    }

    /// Returns the SHA-256 of the downloaded bytes; the writer is left uncommitted for the caller.
    /// Throws `URLError` on network failure, `DatasetError` on an HTTP error status.
    static func download(_ url: URL, into writer: AtomicFileWriter, progress: ProgressBar?, dataset: String) throws -> String {
        let delegate = Downloader(writer: writer, progress: progress)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 30
        let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
        session.dataTask(with: url).resume()
        delegate.done.wait()
        session.finishTasksAndInvalidate()
        if delegate.received > 0 {
            progress?.update(done: delegate.received, total: delegate.expected, force: true)
            progress?.finish()
        }
        if let failure = delegate.failure { throw failure }
        guard (200..<300).contains(delegate.statusCode) else {
            throw DatasetError(dataset, .network, "\(url.absoluteString) answered HTTP \(delegate.statusCode)")
        }
        return SHA256Digest.hex(delegate.hasher.finalize())
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        statusCode = (response as? HTTPURLResponse)?.statusCode ?? 200
        expected = response.expectedContentLength > 0 ? response.expectedContentLength : nil
        completionHandler((200..<300).contains(statusCode) ? .allow : .cancel)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard failure == nil else { return }
        do {
            try data.withUnsafeBytes {
                hasher.update(bufferPointer: $0)
                try writer.write($0)
            }
            received += Int64(data.count)
            progress?.update(done: received, total: expected)
        } catch {
            failure = error
            dataTask.cancel()
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        if failure == nil, let error, (200..<300).contains(statusCode) { failure = error }
        done.signal()
    }
}
