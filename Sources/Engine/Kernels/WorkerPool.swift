import CPlatform
import Foundation
import Synchronization

/// The engine's threads: workers that run the pieces of one parallel loop next to the thread that
/// called it.
///
/// GCD's `concurrentPerform` wakes a sleeping thread for every loop, about 40 µs on this kind of
/// machine — as long as a whole piece of an MLP's GEMM or a layer norm — so a step of small ops
/// spent more time waking threads than working. A worker here spins for a short while
/// (`spinSeconds`) after each loop, waiting for the next, before it sleeps; a step's loops follow
/// each other closely enough that workers are still awake. Pieces are claimed from a shared
/// counter, so which thread runs a piece varies, never what a piece computes.
///
/// One loop runs at a time: a loop started while another runs (a piece that itself calls a
/// parallel kernel, or two runs sharing the process) runs its pieces on the calling thread.
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool()
    /// How long an idle worker keeps checking for work before it sleeps.
    static let spinSeconds = 200e-6

    /// One parallel loop: `count` pieces, claimed through `next`, at most `helpers` workers joining.
    private final class Loop: @unchecked Sendable {
        let count: Int, helpers: Int
        var body: ((Int) -> Void)?
        let next = Atomic<Int>(0), finished = Atomic<Int>(0), joined = Atomic<Int>(0)

        init(count: Int, helpers: Int, body: @escaping (Int) -> Void) {
            self.count = count
            self.helpers = helpers
            self.body = body
        }

        /// Runs pieces until none is left to claim. `body` is read only for a claimed piece, so
        /// it is never read after the last piece finished (when the caller clears it).
        func work() {
            while true {
                let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard i < count else { return }
                body!(i)
                finished.wrappingAdd(1, ordering: .releasing)
            }
        }
    }

    private let condition = NSCondition()
    private var current: Loop?
    private var sleepers = 0
    private var workers = 0
    private let epoch = Atomic<Int>(0)
    private let caller = NSLock()

    /// Runs `body(0)`, …, `body(count − 1)` on the calling thread and up to `threads − 1` workers,
    /// returning when every piece has finished.
    func run(_ count: Int, threads: Int, _ body: (Int) -> Void) {
        guard threads > 1, count > 1, caller.try() else {
            for i in 0..<count { body(i) }
            return
        }
        defer { caller.unlock() }
        withoutActuallyEscaping(body) { body in
            let loop = Loop(count: count, helpers: Swift.min(threads, count) - 1, body: body)
            condition.lock()
            while workers < loop.helpers { startWorker() }
            current = loop
            epoch.wrappingAdd(1, ordering: .releasing)
            // Wake only as many sleepers as the loop can use (awake workers join first).
            for _ in 0..<Swift.min(sleepers, loop.helpers) { condition.signal() }
            condition.unlock()
            loop.work()
            var spins = 0
            while loop.finished.load(ordering: .acquiring) < count {
                // A helper preempted mid-piece (more threads than free cores) must get the core back.
                spins += 1
                if spins > 4096 { sched_yield() } else { spinPause() }
            }
            condition.lock()
            current = nil
            condition.unlock()
            // No piece is left to claim, so no worker reads `body` again; clearing it drops the last
            // reference to the closure before `withoutActuallyEscaping` checks that none escaped.
            loop.body = nil
        }
    }

    private func startWorker() {
        workers += 1
        let thread = Thread { [unowned self] in self.workerLoop() }
        thread.name = "engine worker \(workers)"
        thread.start()
    }

    private func workerLoop() {
        var seen = epoch.load(ordering: .acquiring)
        var spin = true
        while true {
            waitForEpoch(after: seen, spinning: spin)
            condition.lock()
            seen = epoch.load(ordering: .acquiring)
            let loop = current
            condition.unlock()
            // A worker the loop did not need (more workers than this run's thread budget) sleeps
            // until the next loop instead of spinning on a core another run may be using.
            spin = false
            if let loop, loop.joined.wrappingAdd(1, ordering: .relaxed).oldValue < loop.helpers {
                loop.work()
                spin = true
            }
        }
    }

    /// Waits until the epoch moves past `seen`: spinning for up to `spinSeconds` first, then
    /// asleep on the condition.
    private func waitForEpoch(after seen: Int, spinning: Bool) {
        let deadline = DispatchTime.now().uptimeNanoseconds + (spinning ? UInt64(Self.spinSeconds * 1e9) : 0)
        var spins = 0
        while epoch.load(ordering: .acquiring) == seen {
            spins += 1
            if spins & 255 == 0 && DispatchTime.now().uptimeNanoseconds > deadline {
                condition.lock()
                while epoch.load(ordering: .acquiring) == seen {
                    sleepers += 1
                    condition.wait()
                    sleepers -= 1
                }
                condition.unlock()
                return
            }
            spinPause()
        }
    }

    @inline(__always) private func spinPause() { repro_spin_pause() }
}

/// Independent pieces of work `0..<count` shared by up to `BLAS.threads` threads (`WorkerPool`);
/// for work whose pieces are fixed in advance (`GEMMPartition`), so the result does not depend on
/// which thread ran which piece.
public enum ParallelPieces {
    public static func forEach(_ count: Int, _ body: (Int) -> Void) {
        WorkerPool.shared.run(count, threads: BLAS.threads, body)
    }
}

/// Work split over rows across `BLAS.threads` threads (the share of the machine the runner gave
/// this run). Rows are handed out in contiguous blocks and each row's result depends on that row
/// alone, so the output is bit-identical for any thread count.
public enum ParallelRows {
    /// Calls `body` on disjoint ranges covering 0..<rows of `rowLength` elements each. A block gets
    /// at least 2¹⁶ elements: below that, splitting costs more than it saves (an MLP's [128, 10]
    /// logits stay on one thread, a recommender's [256, 23716] block does not).
    public static func forEach(_ rows: Int, rowLength: Int, _ body: (Range<Int>) -> Void) {
        let minimumRows = Swift.max(1, (1 << 16) / Swift.max(rowLength, 1))
        let threads = Swift.min(BLAS.threads, Swift.max(1, rows / minimumRows))
        guard threads > 1 else { body(0..<rows); return }
        let block = (rows + threads - 1) / threads
        WorkerPool.shared.run(threads, threads: threads) { i in
            let start = i * block
            if start < rows { body(start..<Swift.min(rows, start + block)) }
        }
    }
}
