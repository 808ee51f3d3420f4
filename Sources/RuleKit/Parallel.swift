import Foundation
import Synchronization

/// Start-up work spread over the cores (rule compilation, normalisation tables, prefilter databases), with results
/// in input order so that the outcome does not depend on the thread count.
public enum Parallel {
    /// Cores this process may use (cgroup quota and affinity included), read once: Foundation reads the cgroup files
    /// on every call.
    public static let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// `items.map(transform)`, computed on all cores, results in item order. Threads take the next item as they
    /// finish one, so a few large items (a big database among small ones) do not leave a core idle.
    public static func map<T, R>(_ items: [T], _ transform: (T) -> R) -> [R] {
        let threads = min(items.count, cores)
        if threads <= 1 { return items.map(transform) }
        var out = [R?](repeating: nil, count: items.count)
        let next = Atomic<Int>(0)
        out.withUnsafeMutableBufferPointer { buf in
            nonisolated(unsafe) let buf = buf
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                while true {
                    let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard i < items.count else { return }
                    buf[i] = transform(items[i])
                }
            }
        }
        return out.map { $0! }
    }
}
