import Foundation

/// Counts the tensor memory a piece of work allocates: `MemoryMeter.measure { … }` reports the
/// peak of live tensor bytes allocated on the calling thread while `body` ran (activations kept on
/// the tape, gradients, scratch), not counting what existed before (parameters, optimizer state).
///
/// The meter is per thread, so runs executing side by side in one process (`--jobs 2`) never see
/// each other's tensors; a tensor remembers the meter that paid for it, so freeing it on another
/// thread still credits the right one. Nothing is counted while no meter is active.
public final class MemoryMeter: @unchecked Sendable {
    private let lock = NSLock()
    private var live = 0
    private var peak = 0

    /// Live bytes after each allocation, when asked for (`traced`).
    private var trace: [Int]?

    private init(tracing: Bool = false) {
        trace = tracing ? [] : nil
    }

    public static func measure<R>(_ body: () throws -> R) rethrows -> (result: R, peakBytes: Int) {
        let meter = MemoryMeter()
        let result = try meter.active(body)
        return (result, meter.peakBytes)
    }

    /// The live bytes after each allocation `body` made, in order (their maximum is the peak).
    public static func traced(_ body: () throws -> Void) rethrows -> [Int] {
        let meter = MemoryMeter(tracing: true)
        try meter.active(body)
        return meter.lock.withLock { meter.trace ?? [] }
    }

    private func active<R>(_ body: () throws -> R) rethrows -> R {
        let previous = Self.current
        Self.current = self
        defer { Self.current = previous }
        return try body()
    }

    public var peakBytes: Int {
        lock.lock(); defer { lock.unlock() }
        return peak
    }

    func allocated(_ bytes: Int) {
        lock.lock()
        live += bytes
        peak = max(peak, live)
        trace?.append(live)
        lock.unlock()
    }

    func freed(_ bytes: Int) {
        lock.lock()
        live -= bytes
        lock.unlock()
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// The meter active on this thread (unretained: `measure` keeps it alive while it is set).
    static var current: MemoryMeter? {
        get { pthread_getspecific(key).map { Unmanaged<MemoryMeter>.fromOpaque($0).takeUnretainedValue() } }
        set { pthread_setspecific(key, newValue.map { Unmanaged.passUnretained($0).toOpaque() }) }
    }
}
