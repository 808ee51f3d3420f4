import ChatModel
import Foundation
import RuleKit
import Synchronization

/// Threads of a scan started before its rules are loaded, which then run the scan's worker loop beside the caller.
///
/// Why not `DispatchQueue.concurrentPerform`: the benchmark VM's scheduler packs a newly started or woken thread onto
/// a busy vCPU and moves it to the idle one only a scheduler tick or two later. The early input collection started
/// 0.4-3 ms late (it ran when the main thread blocked), and the main thread's own worker 1-3 ms late in four of six
/// 10 MB scans: a few per cent of a 30 ms scan. These threads are started on another CPU than the caller's
/// (`PlacedThread`), and are running when work arrives: after a job they poll for the next one (a short spin,
/// then a check every 50 µs of sleep, which leaves the core to threads with work) for up to `pollNanos` before they
/// block; a caller waiting for them polls the same way. They poll only when every thread can have a core. Call
/// `stop()` when done: the threads hold the pool until they exit.
public final class WorkerThreads: @unchecked Sendable {
    /// Threads besides the caller.
    public let count: Int
    private let poll: Bool
    /// How long an idle thread (or a caller waiting for the threads) polls before it blocks.
    static let pollNanos: UInt64 = 20_000_000

    /// Bumped (releasing) after `job` is set; threads acquire it before reading `job`.
    private let generation = Atomic<Int>(0)
    /// Threads done with the current generation's job.
    private let finished = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private var job: (@Sendable (Int) -> Void)?
    /// For threads and callers that stopped polling.
    private let condition = NSCondition()

    /// Starts `count` threads; they poll for work only when `count + 1 <= cores`.
    public init(count: Int, cores: Int = Parallel.cores) {
        self.count = max(0, count)
        poll = self.count + 1 <= cores
        finished.store(self.count, ordering: .releasing)
        for i in 0..<self.count { PlacedThread.start(k: i) { [self] in loop(index: i) } }
    }

    /// Runs `body(i)` on thread `i` (0..<count) and returns at once; waits first for the previous job to finish.
    public func start(_ body: @escaping @Sendable (Int) -> Void) {
        waitForThreads()
        condition.lock()
        job = body
        finished.store(0, ordering: .relaxed)
        generation.add(1, ordering: .releasing)
        condition.broadcast()
        condition.unlock()
    }

    /// Runs `body` on every thread and on the caller (index `count`); returns when all are done.
    public func run(_ body: @escaping @Sendable (Int) -> Void) {
        start(body)
        body(count)
        waitForThreads()
    }

    /// True when every thread has finished the current job.
    public var threadsDone: Bool { finished.load(ordering: .acquiring) >= count }

    /// Waits until every thread has finished the current job.
    public func waitForThreads() {
        if wait(until: { self.threadsDone }) { return }
        condition.lock()
        while !threadsDone { condition.wait() }
        condition.unlock()
    }

    /// Lets the threads exit once they finish their current job (they hold the pool until then).
    public func stop() {
        condition.lock()
        stopping.store(true, ordering: .releasing)
        condition.broadcast()
        condition.unlock()
    }

    /// Polls `done` for up to `pollNanos` (when polling is allowed): a short spin, then a check every 50 µs of sleep,
    /// so that a polling thread leaves its core to the threads that have work. True when `done` became true.
    private func wait(until done: () -> Bool) -> Bool {
        if done() { return true }
        guard poll else { return false }
        for _ in 0..<512 where done() { return true }
        let deadline = DispatchTime.now().uptimeNanoseconds + Self.pollNanos
        while DispatchTime.now().uptimeNanoseconds < deadline {
            usleep(50)
            if done() { return true }
        }
        return done()
    }

    private func loop(index: Int) {
        var seen = 0
        while true {
            let fresh = wait(until: { self.generation.load(ordering: .acquiring) != seen || self.stopping.load(ordering: .acquiring) })
            if !fresh {
                condition.lock()
                while generation.load(ordering: .acquiring) == seen && !stopping.load(ordering: .acquiring) { condition.wait() }
                condition.unlock()
            }
            let current = generation.load(ordering: .acquiring)
            if current == seen { return }   // stopping, no new job
            seen = current
            condition.lock()
            let body = job
            condition.unlock()
            body?(index)
            if finished.add(1, ordering: .acquiringAndReleasing).newValue == count {
                condition.lock(); condition.broadcast(); condition.unlock()
            }
        }
    }
}

