import Foundation

/// Start-up work spread over the cores (rule compilation, normalisation tables), with results in input order so that
/// the outcome does not depend on the thread count.
public enum Parallel {
    /// `items.map(transform)`, computed on all cores (items interleaved over the threads), results in item order.
    public static func map<T, R>(_ items: [T], _ transform: (T) -> R) -> [R] {
        let threads = max(1, min(items.count, ProcessInfo.processInfo.activeProcessorCount))
        var out = [R?](repeating: nil, count: items.count)
        out.withUnsafeMutableBufferPointer { buf in
            nonisolated(unsafe) let buf = buf
            DispatchQueue.concurrentPerform(iterations: threads) { t in
                for i in stride(from: t, to: items.count, by: threads) { buf[i] = transform(items[i]) }
            }
        }
        return out.map { $0! }
    }
}
