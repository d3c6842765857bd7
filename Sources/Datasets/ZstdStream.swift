import CZstd

/// Streaming zstd compression into an `AtomicFileWriter` (ZSTD_compressStream2), through one
/// reused output buffer: the payload is never copied whole.
final class ZstdCompressor {
    private let context: OpaquePointer
    private let output: UnsafeMutableRawBufferPointer
    private let sink: AtomicFileWriter
    private let dataset: String

    init(sink: AtomicFileWriter, level: Int32 = 3, dataset: String) throws {
        guard let c = ZSTD_createCCtx() else { throw DatasetError(dataset, .io, "zstd could not allocate a compression context") }
        context = c
        self.sink = sink
        self.dataset = dataset
        output = .allocate(byteCount: ZSTD_CStreamOutSize(), alignment: 16)
        try check(ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, level))
        // zstd's own content checksum catches a damaged frame even before our SHA-256 would.
        try check(ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1))
    }

    deinit {
        ZSTD_freeCCtx(context)
        output.deallocate()
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var input = ZSTD_inBuffer(src: bytes.baseAddress, size: bytes.count, pos: 0)
        while input.pos < input.size { _ = try step(&input, ZSTD_e_continue) }
    }

    /// Ends the frame and flushes everything to the sink.
    func finish() throws {
        var input = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
        while try step(&input, ZSTD_e_end) != 0 {}
    }

    private func step(_ input: inout ZSTD_inBuffer, _ directive: ZSTD_EndDirective) throws -> Int {
        var out = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
        let remaining = ZSTD_compressStream2(context, &out, &input, directive)
        try check(remaining)
        try sink.write(UnsafeRawBufferPointer(rebasing: output[..<out.pos]))
        return remaining
    }

    private func check(_ code: Int) throws {
        if ZSTD_isError(code) != 0 {
            throw DatasetError(dataset, .io, "zstd compression failed: \(String(cString: ZSTD_getErrorName(code)))")
        }
    }
}

/// Streaming zstd decompression (ZSTD_decompressStream) from a file straight into destination
/// buffers.
final class ZstdDecompressor {
    private let context: OpaquePointer
    private let source: FileSource
    private let input: UnsafeMutableRawBufferPointer
    private var inBuffer: ZSTD_inBuffer
    private var lastResult = 1
    private let dataset: String
    private let fileName: String

    init(source: FileSource, dataset: String, fileName: String) throws {
        guard let d = ZSTD_createDCtx() else { throw DatasetError(dataset, .io, "zstd could not allocate a decompression context") }
        context = d
        self.source = source
        self.dataset = dataset
        self.fileName = fileName
        input = .allocate(byteCount: ZSTD_DStreamInSize(), alignment: 16)
        inBuffer = ZSTD_inBuffer(src: input.baseAddress, size: 0, pos: 0)
    }

    deinit {
        ZSTD_freeDCtx(context)
        input.deallocate()
    }

    /// Fills `buffer` completely or throws `.cacheCorrupt`.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws {
        var out = ZSTD_outBuffer(dst: buffer.baseAddress, size: buffer.count, pos: 0)
        while out.pos < out.size {
            if inBuffer.pos == inBuffer.size {
                let n = try source.read(into: input)
                if n == 0 { throw corrupt("the compressed payload ends early") }
                inBuffer = ZSTD_inBuffer(src: input.baseAddress, size: n, pos: 0)
            }
            lastResult = ZSTD_decompressStream(context, &out, &inBuffer)
            if ZSTD_isError(lastResult) != 0 { throw corrupt(String(cString: ZSTD_getErrorName(lastResult))) }
        }
    }

    /// Checks that the frame ends here (its checksum verified by zstd) and that exactly
    /// `trailingBytes` bytes follow it. Returns nothing; throws `.cacheCorrupt` otherwise.
    func finish(trailingBytes: Int) throws {
        var spare: UInt8 = 0
        try withUnsafeMutableBytes(of: &spare) { b in
            while lastResult != 0 {
                if inBuffer.pos == inBuffer.size {
                    let n = try source.read(into: input)
                    if n == 0 { throw corrupt("the compressed payload ends before its frame does") }
                    inBuffer = ZSTD_inBuffer(src: input.baseAddress, size: n, pos: 0)
                }
                var out = ZSTD_outBuffer(dst: b.baseAddress, size: 1, pos: 0)
                lastResult = ZSTD_decompressStream(context, &out, &inBuffer)
                if ZSTD_isError(lastResult) != 0 { throw corrupt(String(cString: ZSTD_getErrorName(lastResult))) }
                if out.pos > 0 { throw corrupt("the payload is longer than the header says") }
            }
        }
        var rest = inBuffer.size - inBuffer.pos
        while true {
            let n = try source.read(into: input)
            if n == 0 { break }
            rest += n
        }
        if rest != trailingBytes {
            throw corrupt("\(rest) bytes follow the compressed payload, expected \(trailingBytes)")
        }
    }

    private func corrupt(_ reason: String) -> DatasetError {
        DatasetError(dataset, .cacheCorrupt, "cache file \(fileName) is damaged (\(reason))")
    }
}
