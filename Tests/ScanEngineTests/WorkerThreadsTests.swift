import Foundation
import ScanEngine
import Synchronization
import Testing

@Suite struct WorkerThreadsTests {
    @Test func runGivesEveryThreadAndTheCallerOneDistinctIndex() {
        for count in [0, 1, 3] {
            let pool = WorkerThreads(count: count)
            defer { pool.stop() }
            let seen = Mutex<[Int]>([])
            pool.run { i in seen.withLock { $0.append(i) } }
            #expect(seen.withLock { $0.sorted() } == Array(0...count))
        }
    }

    @Test func aJobStartsOnlyAfterThePreviousOneFinished() {
        let pool = WorkerThreads(count: 2)
        defer { pool.stop() }
        let firstDone = Atomic<Int>(0)
        pool.start { _ in
            usleep(20_000)
            firstDone.add(1, ordering: .sequentiallyConsistent)
        }
        let sawUnfinished = Atomic<Bool>(false)
        pool.run { _ in
            if firstDone.load(ordering: .sequentiallyConsistent) < 2 { sawUnfinished.store(true, ordering: .sequentiallyConsistent) }
        }
        let firstDoneValue = firstDone.load(ordering: .sequentiallyConsistent)
        #expect(firstDoneValue == 2)
        let unfinished = sawUnfinished.load(ordering: .sequentiallyConsistent)
        #expect(!unfinished)
    }

    @Test func waitForThreadsReturnsWhenAStartedJobIsDoneEvenAfterThePollingTime() {
        // Longer than the polling time: the waiting caller and the idle thread fall back to blocking.
        let pool = WorkerThreads(count: 2)
        defer { pool.stop() }
        let done = Atomic<Int>(0)
        pool.start { i in
            if i == 0 { usleep(60_000) }
            done.add(1, ordering: .sequentiallyConsistent)
        }
        pool.waitForThreads()
        let doneValue = done.load(ordering: .sequentiallyConsistent)
        #expect(doneValue == 2)
        // The threads still take work after blocking.
        usleep(40_000)
        let again = Atomic<Int>(0)
        pool.run { _ in again.add(1, ordering: .sequentiallyConsistent) }
        let againValue = again.load(ordering: .sequentiallyConsistent)
        #expect(againValue == 3)
    }

    @Test func moreThreadsThanCoresStillRunEveryJob() {
        let pool = WorkerThreads(count: 6, cores: 2)
        defer { pool.stop() }
        let n = Atomic<Int>(0)
        for _ in 0..<5 { pool.run { _ in n.add(1, ordering: .sequentiallyConsistent) } }
        let nValue = n.load(ordering: .sequentiallyConsistent)
        #expect(nValue == 35)
    }
}
