import Foundation

/// One progress line on standard error, redrawn in place on a terminal and printed every few
/// seconds otherwise (CI logs), with rate and ETA.
public final class ProgressLine: @unchecked Sendable {
    let label: String
    let total: Int
    let start = Stopwatch.now()
    var lastPrint = 0.0
    let isTerminal = isatty(STDERR_FILENO) != 0
    let lock = NSLock()

    public init(_ label: String, total: Int) {
        self.label = label
        self.total = total
    }

    /// Reports that `done` of `total` units are finished, with an optional status text.
    public func update(_ done: Int, _ status: String = "") {
        lock.lock(); defer { lock.unlock() }
        let now = Stopwatch.now(), elapsed = now - start
        guard done == total || now - lastPrint >= (isTerminal ? 0.2 : 10) else { return }
        lastPrint = now
        let rate = Double(done) / Swift.max(elapsed, 1e-9)
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let width = 24, filled = total > 0 ? width * done / total : width
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let line = String(format: "%@ [%@] %d/%d  %.2f/s  ETA %@  %@", label, bar, done, total, rate,
                          formatDuration(eta), status)
        FileHandle.standardError.write(Data(((isTerminal ? "\r\u{1B}[K" : "") + line + (isTerminal && done < total ? "" : "\n")).utf8))
    }
}

/// "1h02m", "3m05s", "12s".
public func formatDuration(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    if s >= 3600 { return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60) }
    if s >= 60 { return String(format: "%dm%02ds", s / 60, s % 60) }
    return "\(s)s"
}
