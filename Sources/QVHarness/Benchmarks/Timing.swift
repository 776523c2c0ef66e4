import Foundation

/// Wall-clock timing helpers for benchmarks (never for tests: this machine is noisy).
public enum Stopwatch {
    /// Seconds since an arbitrary origin, monotonic.
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// Best (minimum) seconds of `repeats` runs after `warmup` runs.
    public static func best(repeats: Int = 5, warmup: Int = 1, _ body: () -> Void) -> Double {
        for _ in 0..<warmup { body() }
        var best = Double.infinity
        for _ in 0..<Swift.max(repeats, 1) {
            let t0 = now()
            body()
            best = Swift.min(best, now() - t0)
        }
        return best
    }
}
