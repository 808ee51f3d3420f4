import Foundation

/// A one-line progress display on stderr (files, bytes, MB/s, ETA), redrawn at most 10 times a second.
/// Only used when stderr is a terminal and the run is not `--quiet`.
public final class ProgressBar: @unchecked Sendable {
    let totalBytes: Int
    let totalFiles: Int
    let start = DispatchTime.now().uptimeNanoseconds
    private var lastDraw: UInt64 = 0
    private let lock = NSLock()
    private var drawn = false

    public init(totalBytes: Int, totalFiles: Int) { self.totalBytes = totalBytes; self.totalFiles = totalFiles }

    /// True when stderr is a terminal.
    public static var stderrIsTerminal: Bool { isatty(2) == 1 }

    public func update(bytesDone: Int, filesDone: Int) {
        lock.lock(); defer { lock.unlock() }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - lastDraw >= 100_000_000 else { return }
        lastDraw = now
        let secs = Double(now - start) / 1e9
        let mbps = secs > 0 ? Double(bytesDone) / 1e6 / secs : 0
        let frac = totalBytes > 0 ? min(1, Double(bytesDone) / Double(totalBytes)) : 1
        let eta = mbps > 0 ? Double(totalBytes - bytesDone) / 1e6 / mbps : 0
        let width = 24
        let filled = Int(frac * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let line = String(format: "\r[%@] %3.0f%%  files %d/%d  %.1f/%.1f MB  %.0f MB/s  ETA %.0fs ",
                          bar, frac * 100, filesDone, totalFiles, Double(bytesDone) / 1e6, Double(totalBytes) / 1e6, mbps, eta)
        FileHandle.standardError.write(Data(line.utf8))
        drawn = true
    }

    /// Clears the progress line.
    public func finish() {
        lock.lock(); defer { lock.unlock() }
        if drawn { FileHandle.standardError.write(Data(("\r" + String(repeating: " ", count: 100) + "\r").utf8)) }
    }
}
