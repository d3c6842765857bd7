import CPlatform
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// OpenBLAS, opened by the engine at run time so that it can choose OpenBLAS's kernel.
///
/// OpenBLAS reads `OPENBLAS_CORETYPE` once, in its constructor, when the dynamic linker loads it;
/// a library linked at build time is loaded before any Swift code runs, too late to set anything.
/// So the engine loads OpenBLAS itself, with `dlopen`, on the first BLAS call of the process —
/// whichever program that is (`repro`, the benchmark, the tests, a user's program importing the
/// engine). It loads the library as it is and asks which core OpenBLAS chose; when that core is
/// below what the processor supports (`BLASKernelChoice`), it unloads it, sets the variable, loads
/// it again, checks the new kernel's sgemm against a reference on the shapes the models use, and
/// restores the environment so that child processes see the user's own setting. A kernel that fails
/// its check is not used; the reason is recorded in `selection` and printed once.
public final class BLASLibrary: @unchecked Sendable {
    typealias Sgemm = @convention(c) (Int32, Int32, Int32, Int32, Int32, Int32, Float, UnsafePointer<Float>?, Int32,
                                      UnsafePointer<Float>?, Int32, Float, UnsafeMutablePointer<Float>?, Int32) -> Void
    typealias Saxpy = @convention(c) (Int32, Float, UnsafePointer<Float>?, Int32, UnsafeMutablePointer<Float>?, Int32) -> Void
    typealias Sdot = @convention(c) (Int32, UnsafePointer<Float>?, Int32, UnsafePointer<Float>?, Int32) -> Float
    typealias Snrm2 = @convention(c) (Int32, UnsafePointer<Float>?, Int32) -> Float
    typealias SetInt = @convention(c) (Int32) -> Void
    typealias GetString = @convention(c) () -> UnsafeMutablePointer<CChar>?

    /// The shared object's resolved path.
    public let path: String
    /// `openblas_get_config()`, e.g. "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64".
    public let config: String
    /// The kernel in use, as `openblas_get_corename()` names it.
    public let core: String
    /// How the core was chosen (OpenBLAS's own choice, the user's OPENBLAS_CORETYPE, or the
    /// engine's correction and why).
    public let selection: String
    /// Whether the core's sgemm agreed with the reference at load time.
    public let verified: Bool

    let sgemm: Sgemm, saxpy: Saxpy, sdot: Sdot, snrm2: Snrm2
    let setThreads: SetInt

    /// "OpenBLAS 0.3.21".
    public var version: String { config.split(separator: " ").prefix(2).joined(separator: " ") }

    /// One line for logs, `repro --version` and run summaries.
    public var description: String { "\(version), core \(core) (\(selection)), \(path)" }

    /// The library every BLAS call of the process goes through; loaded on first use.
    public static let shared: BLASLibrary = load()

    private init(handle: UnsafeMutableRawPointer, path: String, selection: String, verified: Bool) {
        func symbol<T>(_ name: String, as: T.Type) -> T {
            guard let p = dlsym(handle, name) else {
                fatalError("\(path) has no symbol \(name): it is not OpenBLAS. Set REPRO_OPENBLAS_LIBRARY to OpenBLAS's shared library.")
            }
            return unsafeBitCast(p, to: T.self)
        }
        sgemm = symbol("cblas_sgemm", as: Sgemm.self)
        saxpy = symbol("cblas_saxpy", as: Saxpy.self)
        sdot = symbol("cblas_sdot", as: Sdot.self)
        snrm2 = symbol("cblas_snrm2", as: Snrm2.self)
        setThreads = symbol("openblas_set_num_threads", as: SetInt.self)
        config = Self.string(symbol("openblas_get_config", as: GetString.self)())
        core = Self.string(symbol("openblas_get_corename", as: GetString.self)())
        self.path = path
        self.selection = selection
        self.verified = verified
        // The engine runs its own threads around single-threaded OpenBLAS calls (`BLAS.threads`).
        setThreads(1)
    }

    private static func string(_ p: UnsafeMutablePointer<CChar>?) -> String { p.map { String(cString: $0) } ?? "unknown" }

    // MARK: Loading

    /// Where to look: the user's explicit path first, then the names Debian, Fedora and Homebrew use.
    static var searchNames: [String] {
        var names: [String] = []
        if let user = environment("REPRO_OPENBLAS_LIBRARY") { names.append(user) }
        names += ["libopenblas.so.0", "libopenblas.so", "libopenblasp.so.0", "libopenblas.dylib",
                  "/opt/homebrew/opt/openblas/lib/libopenblas.dylib", "/usr/local/opt/openblas/lib/libopenblas.dylib"]
        return names
    }

    static func environment(_ name: String) -> String? {
        guard let v = getenv(name) else { return nil }
        let s = String(cString: v)
        return s.isEmpty ? nil : s
    }

    private static func open(_ names: [String]) -> (handle: UnsafeMutableRawPointer, name: String) {
        var errors: [String] = []
        for name in names {
            if let h = dlopen(name, RTLD_NOW | RTLD_LOCAL) { return (h, name) }
            errors.append(dlerror().map { String(cString: $0) } ?? name)
        }
        fatalError("""
            the engine needs OpenBLAS and could not load it (\(errors.joined(separator: "; "))).
            Install it (Debian/Ubuntu: apt-get install libopenblas0, or run scripts/setup), or set \
            REPRO_OPENBLAS_LIBRARY to the path of libopenblas.
            """)
    }

    private static func corename(_ handle: UnsafeMutableRawPointer) -> String {
        guard let p = dlsym(handle, "openblas_get_corename") else { return "unknown" }
        return string(unsafeBitCast(p, to: GetString.self)())
    }

    private static func resolvedPath(_ handle: UnsafeMutableRawPointer, fallback: String) -> String {
        guard let file = repro_library_path_of(dlsym(handle, "cblas_sgemm")) else { return fallback }
        guard let real = realpath(file, nil) else { return String(cString: file) }
        defer { free(real) }
        return String(cString: real)
    }

    /// Unloads `handle` and reloads the library with `OPENBLAS_CORETYPE=core` (nil: unset), or
    /// returns nil when the library stays loaded (another part of the process holds it).
    private static func reload(_ handle: UnsafeMutableRawPointer, name: String, core: String?) -> UnsafeMutableRawPointer? {
        dlclose(handle)
        if let still = dlopen(name, RTLD_NOW | RTLD_NOLOAD) {
            dlclose(still)
            return nil
        }
        return withCoreType(core) { dlopen(name, RTLD_NOW | RTLD_LOCAL) }
    }

    /// Runs `body` with `OPENBLAS_CORETYPE=core` (nil: as it is), then restores the variable.
    private static func withCoreType<T>(_ core: String?, _ body: () -> T) -> T {
        guard let core else { return body() }
        let previous = environment("OPENBLAS_CORETYPE")
        setenv("OPENBLAS_CORETYPE", core, 1)
        defer { if let previous { setenv("OPENBLAS_CORETYPE", previous, 1) } else { unsetenv("OPENBLAS_CORETYPE") } }
        return body()
    }

    /// Loads the first of `names` that opens. `misdetection` makes OpenBLAS start on that core as
    /// if it had chosen it itself: how the tests exercise the correction on a machine whose
    /// OpenBLAS detects its CPU correctly (they load a copy of the library under another name).
    static func load(names: [String] = searchNames, misdetection: String? = nil) -> BLASLibrary {
        let cpu = CPUFeatures.current
        let user = misdetection == nil ? environment("OPENBLAS_CORETYPE") : nil
        var (handle, name) = withCoreType(misdetection) { open(names) }
        let chosen = corename(handle)
        func make(_ h: UnsafeMutableRawPointer, _ selection: String) -> BLASLibrary {
            let sgemm = unsafeBitCast(dlsym(h, "cblas_sgemm")!, to: Sgemm.self)
            let failure = sgemmCheck(sgemm)
            let library = BLASLibrary(handle: h, path: resolvedPath(h, fallback: name), selection: selection, verified: failure == nil)
            if let failure {
                warn("OpenBLAS core \(library.core) computes wrong sgemm results on this CPU (\(failure)); results may be wrong. "
                     + "Set OPENBLAS_CORETYPE to another core (e.g. Haswell or Prescott).")
            }
            return library
        }
        if let user { return make(handle, "OPENBLAS_CORETYPE=\(user), set by the user") }

        let candidates = BLASKernelChoice.replacements(chosen: chosen, cpu: cpu, userCoreType: user)
        if candidates.isEmpty { return make(handle, "OpenBLAS's own choice; CPU \(cpu.summary)") }

        var notes: [String] = []
        for core in candidates {
            guard let fresh = reload(handle, name: name, core: core) else {
                guard let again = dlopen(name, RTLD_NOW | RTLD_LOCAL) else { fatalError("OpenBLAS \(name) could not be reopened") }
                return make(again, "OpenBLAS's own choice \(chosen), kept: another library of this process holds OpenBLAS, so its kernel cannot be changed")
            }
            handle = fresh
            let got = corename(handle)
            let sgemm = unsafeBitCast(dlsym(handle, "cblas_sgemm")!, to: Sgemm.self)
            if got.lowercased() != core.lowercased() {
                notes.append("OpenBLAS ran \(got) when asked for \(core)")
            } else if let failure = sgemmCheck(sgemm) {
                notes.append("\(core) failed the sgemm check (\(failure))")
            } else {
                let why = notes.isEmpty ? "" : "; " + notes.joined(separator: "; ")
                return BLASLibrary(handle: handle, path: resolvedPath(handle, fallback: name),
                                   selection: "selected by the engine instead of OpenBLAS's own \(chosen) (\(BLASKernelChoice.tier(ofCore: chosen))); CPU \(cpu.summary)\(why)",
                                   verified: true)
            }
        }
        guard let original = reload(handle, name: name, core: nil) else { fatalError("OpenBLAS \(name) could not be reloaded") }
        let selection = "OpenBLAS's own choice \(chosen), kept: " + notes.joined(separator: "; ")
        warn("BLAS kernel: \(selection)")
        return make(original, selection)
    }

    private static func warn(_ message: String) {
        fputs("warning: \(message)\n", stderr)
    }

    // MARK: Checking a kernel

    /// GEMM shapes the models use (odd tails, both transposes) against a double-precision
    /// reference; returns nil when every entry agrees within float rounding of its dot product,
    /// else a description of the first disagreement. Some OpenBLAS builds compute wrong results
    /// with some kernels on some processors; a wrong kernel is off by far more than rounding.
    static func sgemmCheck(_ sgemm: Sgemm) -> String? {
        let shapes = [(37, 65, 128, false, false), (64, 64, 96, false, true), (50, 80, 33, true, false),
                      (128, 256, 64, true, true), (256, 65, 128, false, false)]
        for (m, n, k, ta, tb) in shapes {
            let a = (0..<(m * k)).map { Float(($0 * 7919 + 13) % 1013) / 1013 - 0.5 }
            let b = (0..<(k * n)).map { Float(($0 * 104_729 + 7) % 997) / 997 - 0.5 }
            var c = [Float](repeating: .nan, count: m * n)
            let (lda, ldb) = (ta ? m : k, tb ? k : n)
            sgemm(101, ta ? 112 : 111, tb ? 112 : 111, Int32(m), Int32(n), Int32(k), 1, a, Int32(lda), b, Int32(ldb), 0, &c, Int32(n))
            for i in 0..<m {
                for j in 0..<n {
                    var exact = 0.0, magnitude = 0.0
                    for p in 0..<k {
                        let x = Double(ta ? a[p * lda + i] : a[i * lda + p]), y = Double(tb ? b[j * ldb + p] : b[p * ldb + j])
                        exact += x * y
                        magnitude += abs(x * y)
                    }
                    let got = Double(c[i * n + j])
                    if !(abs(got - exact) <= 1e-5 * magnitude + 1e-6) {
                        return "C[\(i),\(j)] of \(m)×\(n)×\(k)\(ta ? " Aᵀ" : "")\(tb ? " Bᵀ" : ""): \(got) instead of \(exact)"
                    }
                }
            }
        }
        return nil
    }
}
