import CScanKernels
import Foundation

/// Starts a thread on another CPU than the caller's (`cs_thread_start_elsewhere`), then leaves it free to move. On a
/// small VM whose scheduler packs new threads onto busy vCPUs, a thread started with `Thread` waited 0.1-3 ms (up to
/// a scheduler tick) for the idle vCPU: a few per cent of a 30 ms scan.
public enum PlacedThread {
    /// Runs `body` on a new detached thread with an 8 MiB stack (as the main thread's), placed on the `k`-th other
    /// CPU (modulo their count); falls back to `Thread` if the C start fails.
    public static func start(k: Int = 0, _ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Body(body)).toOpaque()
        let started = cs_thread_start_elsewhere({ ctx in
            Unmanaged<Body>.fromOpaque(ctx!).takeRetainedValue().run()
        }, box, Int32(truncatingIfNeeded: k), 8 << 20)
        if started != 0 {
            Unmanaged<Body>.fromOpaque(box).release()
            let t = Thread { body() }
            t.stackSize = 8 << 20
            t.start()
        }
    }

    private final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }
}
