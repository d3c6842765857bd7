import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension DatasetCache {
    /// Downloads every raw file not already present (in the cache or a system directory), checks
    /// its SHA-256, and builds the cache entry. Each URL of a file is tried in turn.
    /// Returns the names of the files downloaded.
    @discardableResult
    public func fetch(_ name: String, showProgress: Bool = true) throws -> [String] {
        let spec = try registry.spec(name)
        var (found, _) = locateRawFiles(spec)
        var downloaded: [String] = []
        for file in spec.files {
            if let url = found[file.name] {
                if (try? verifyRawFile(url, as: file, of: spec)) != nil {
                    report("\(spec.name): \(file.name) already present at \(url.path)")
                    continue
                }
                report("\(spec.name): \(file.name) at \(url.path) fails its SHA-256 check; downloading it again")
            }
            found[file.name] = try download(file, of: spec, showProgress: showProgress)
            downloaded.append(file.name)
        }
        if downloaded.isEmpty, try verify(spec.name).cache == .valid { return downloaded }
        try? FileManager.default.removeItem(at: entryURL(spec))
        _ = try build(spec, from: found)
        return downloaded
    }

    private func download(_ file: RawFile, of spec: DatasetSpec, showProgress: Bool) throws -> URL {
        let destination = rawDirectory(spec.name).appendingPathComponent(file.name)
        var problems: [String] = []
        var offline = true
        for address in file.urls {
            guard let url = URL(string: address) else { continue }
            let writer = try AtomicFileWriter(destination, dataset: spec.name)
            do {
                let digest = try Downloader.download(url, into: writer, progress: showProgress ? ProgressBar(label: file.name) : nil,
                                                     dataset: spec.name)
                guard file.sha256.contains(where: { $0.digest == digest }) else {
                    offline = false
                    problems.append("\(address) gave SHA-256 \(digest), expected \(file.sha256.map(\.digest).joined(separator: " or "))")
                    continue
                }
                try writer.commit()
                return destination
            } catch let e as URLError where Self.meansNoNetwork(e) {
                problems.append("\(address): \(e.localizedDescription)")
            } catch let e as DatasetError {
                offline = false
                problems.append(e.message)
            } catch {
                offline = false
                problems.append("\(address): \(error.localizedDescription)")
            }
        }
        let advice = "download \(file.urls.first ?? file.name) on a machine with network, then run `\(spec.importHint)`"
        throw DatasetError(spec.name, .network, offline
            ? "cannot download \(file.name): no network connection (\(problems.joined(separator: "; "))); \(advice)"
            : "cannot download \(file.name): \(problems.joined(separator: "; ")); \(advice)")
    }

    static func meansNoNetwork(_ e: URLError) -> Bool {
        [.notConnectedToInternet, .cannotFindHost, .cannotConnectToHost, .timedOut, .networkConnectionLost,
         .dnsLookupFailed, .internationalRoamingOff, .dataNotAllowed].contains(e.code)
    }
}
