import Foundation
import XCTest
@testable import Engine

final class BLASLibraryTests: XCTestCase {
    let avx512 = CPUFeatures(fma: true, avx2: true, avx512: true)
    let avx512bf16 = CPUFeatures(fma: true, avx2: true, avx512: true, avx512bf16: true)
    let avx2 = CPUFeatures(fma: true, avx2: true, avx512: false)
    let sse = CPUFeatures(fma: false, avx2: false, avx512: false)

    func testGenericCoreIsReplacedByTheBestKernelTheCPURuns() {
        XCTAssertEqual(BLASKernelChoice.replacements(chosen: "Prescott", cpu: avx512, userCoreType: nil), ["SkylakeX", "Haswell"])
        XCTAssertEqual(BLASKernelChoice.replacements(chosen: "Prescott", cpu: avx512bf16, userCoreType: nil),
                       ["Cooperlake", "SkylakeX", "Haswell"])
        XCTAssertEqual(BLASKernelChoice.replacements(chosen: "Prescott", cpu: avx2, userCoreType: nil), ["Haswell"])
        XCTAssertEqual(BLASKernelChoice.replacements(chosen: "Haswell", cpu: avx512, userCoreType: nil), ["SkylakeX"])
    }

    func testCoreAtTheCPUsTierIsKept() {
        XCTAssertEqual(BLASKernelChoice.replacements(chosen: "SkylakeX", cpu: avx512bf16, userCoreType: nil), [])
        XCTAssertEqual(BLASKernelChoice.replacements(chosen: "COOPERLAKE", cpu: avx512, userCoreType: nil), [])
        XCTAssertEqual(BLASKernelChoice.replacements(chosen: "Zen", cpu: avx2, userCoreType: nil), [])
        XCTAssertEqual(BLASKernelChoice.replacements(chosen: "Prescott", cpu: sse, userCoreType: nil), [])
    }

    func testUsersCoreTypeAlwaysWins() {
        XCTAssertEqual(BLASKernelChoice.replacements(chosen: "Prescott", cpu: avx512, userCoreType: "Prescott"), [])
    }

    func testSelectedCoreIsNotGenericWhenTheCPUHasAVX2OrAVX512() throws {
        let cpu = CPUFeatures.current
        try XCTSkipIf(BLASKernelChoice.tier(of: cpu) == .generic, "this CPU has neither AVX2 nor AVX-512 (\(cpu.summary))")
        try XCTSkipIf(BLASLibrary.environment("OPENBLAS_CORETYPE") != nil, "OPENBLAS_CORETYPE is set, and the user's choice wins")
        let library = BLAS.library
        XCTAssertGreaterThanOrEqual(BLASKernelChoice.tier(ofCore: library.core), BLASKernelChoice.tier(of: cpu), library.description)
        XCTAssertTrue(library.verified, library.description)
    }

    /// On a machine whose OpenBLAS detects the CPU correctly, a copy of the library (a separate
    /// instance in this process) is started on Prescott as a mis-detecting OpenBLAS would be.
    func testMisdetectedGenericCoreIsReplacedAndChecked() throws {
        let cpu = CPUFeatures.current
        try XCTSkipIf(BLASKernelChoice.tier(of: cpu) == .generic, "this CPU has neither AVX2 nor AVX-512 (\(cpu.summary))")
        // Where the environment pins a core (some machines do, because other kernels compute wrong
        // results or crash there), forcing another one in the test process is not safe.
        try XCTSkipIf(BLASLibrary.environment("OPENBLAS_CORETYPE") != nil, "OPENBLAS_CORETYPE is set on this machine")
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("repro-openblas-\(UUID().uuidString).so")
        try FileManager.default.copyItem(atPath: BLAS.library.path, toPath: copy.path)
        defer { try? FileManager.default.removeItem(at: copy) }

        let before = BLASLibrary.environment("OPENBLAS_CORETYPE")
        let library = BLASLibrary.load(names: [copy.path], misdetection: "Prescott")
        XCTAssertEqual(library.core.lowercased(), BLASKernelChoice.candidates(for: cpu).first?.lowercased(), library.description)
        XCTAssertTrue(library.selection.contains("instead of OpenBLAS's own Prescott"), library.selection)
        XCTAssertTrue(library.verified)
        XCTAssertEqual(BLASLibrary.environment("OPENBLAS_CORETYPE"), before, "loading must restore OPENBLAS_CORETYPE")
    }

    func testSgemmCheckAcceptsOpenBLASAndRejectsAWrongKernel() {
        XCTAssertNil(BLASLibrary.sgemmCheck(BLAS.library.sgemm))
        let zeros: BLASLibrary.Sgemm = { _, _, _, m, n, _, _, _, _, _, _, _, c, ldc in
            for i in 0..<Int(m) { for j in 0..<Int(n) { c![i * Int(ldc) + j] = 0 } }
        }
        XCTAssertNotNil(BLASLibrary.sgemmCheck(zeros))
    }
}
