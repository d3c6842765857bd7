import Foundation

extension DatasetCache {
    /// Copies raw files the user already has into the cache, after checking each one's SHA-256,
    /// then builds the cache entry when every raw file is present.
    ///
    /// `path` is one file (its name must be one of the dataset's raw files, unless the dataset has
    /// just one) or a directory holding some or all of them under their published names.
    /// Returns the raw file names imported.
    @discardableResult
    public func importFiles(_ name: String, from path: URL) throws -> [String] {
        let spec = try registry.spec(name)
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: path.path, isDirectory: &isDirectory) else {
            throw DatasetError(spec.name, .missingRawFile, "\(path.path) does not exist")
        }
        var pairs: [(RawFile, URL)] = []
        if isDirectory.boolValue {
            pairs = spec.files.compactMap { file in
                let url = path.appendingPathComponent(file.name)
                return fm.fileExists(atPath: url.path) ? (file, url) : nil
            }
            guard !pairs.isEmpty else {
                throw DatasetError(spec.name, .missingRawFile,
                                   "\(path.path) holds none of \(spec.files.map(\.name).joined(separator: ", "))")
            }
        } else if spec.files.count == 1 {
            pairs = [(spec.files[0], path)]
        } else if let file = spec.files.first(where: { $0.name == path.lastPathComponent }) {
            pairs = [(file, path)]
        } else {
            throw DatasetError(spec.name, .missingRawFile,
                               "\(path.lastPathComponent) is not one of its raw files (\(spec.files.map(\.name).joined(separator: ", "))); keep the published file names")
        }
        for (file, url) in pairs {
            try verifyRawFile(url, as: file, of: spec)
            try copyIntoCache(url, as: file.name, of: spec)
        }
        let (found, missing) = locateRawFiles(spec)
        if missing.isEmpty {
            try? fm.removeItem(at: entryURL(spec))
            _ = try build(spec, from: found)
        } else {
            report("\(spec.name): imported \(pairs.map(\.0.name).joined(separator: ", ")); still missing \(missing.joined(separator: ", "))")
        }
        return pairs.map(\.0.name)
    }

    /// Copies through a temp file and a rename, so an interrupted import leaves no partial raw file.
    func copyIntoCache(_ url: URL, as fileName: String, of spec: DatasetSpec) throws {
        let destination = rawDirectory(spec.name).appendingPathComponent(fileName)
        if url.standardizedFileURL.path == destination.standardizedFileURL.path { return }
        let writer = try AtomicFileWriter(destination, dataset: spec.name)
        let source = try FileSource(url, dataset: spec.name)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = try source.read(into: buffer)
            if n == 0 { break }
            try writer.write(UnsafeRawBufferPointer(rebasing: buffer[..<n]))
        }
        try writer.commit()
    }
}
