import COpenBLAS
import Dispatch
import Foundation

/// Thread settings for numeric work. OpenBLAS's thread count is always set explicitly (from
/// `QV_THREADS`, else the number of cores) so that runs are reproducible for a given setting.
public enum ComputeThreads {
    /// Cores the machine reports.
    public static var available: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// The configured count: `QV_THREADS` if set to a positive integer, else all cores.
    public static var configured: Int {
        if let s = ProcessInfo.processInfo.environment["QV_THREADS"], let n = Int(s), n > 0 { return n }
        return available
    }

    /// Keeps freed tensor buffers in the heap instead of returning them to the kernel: glibc maps
    /// every allocation above 128 KiB afresh, and the page faults and zeroing of those fresh pages cost
    /// several percent of a training step. Called once at start-up by the command line.
    public static func configureAllocator() {
        #if os(Linux)
        _ = glibcMallopt(-3, 512 << 20)  // M_MMAP_THRESHOLD (malloc.h)
        _ = glibcMallopt(-1, 1 << 30)    // M_TRIM_THRESHOLD
        #endif
    }

    /// Sets OpenBLAS's thread count (call once at start-up, and with 1 inside parallel regions).
    public static func setBLAS(_ n: Int) { openblas_set_num_threads(Int32(Swift.max(n, 1))) }

    /// Threads OpenBLAS will use now.
    public static var blas: Int { Int(openblas_get_num_threads()) }

    /// OpenBLAS's kernel family (e.g. "Haswell"), for benchmark reports.
    public static var blasCore: String { String(cString: openblas_get_corename()) }

    /// Runs `body(i)` for i in 0..<n on up to `threads` threads. Work is split into fixed contiguous
    /// chunks, so per-index results do not depend on scheduling.
    public static func parallelFor(_ n: Int, threads: Int = configured, _ body: (Int) -> Void) {
        let t = Swift.min(threads, n)
        if t <= 1 { for i in 0..<n { body(i) }; return }
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let run = body  // chunks touch disjoint indices; the caller owns the state
            DispatchQueue.concurrentPerform(iterations: t) { chunk in
                let lo = n * chunk / t, hi = n * (chunk + 1) / t
                for i in lo..<hi { run(i) }
            }
        }
    }

    /// `body(i)` for i in 0..<n computed on up to `threads` threads, returned in index order.
    /// The first error thrown (by index order of discovery) is rethrown after all chunks finish.
    public static func parallelMap<T>(_ n: Int, threads: Int = configured, _ body: (Int) throws -> T) throws -> [T] {
        var slots = [T?](repeating: nil, count: n)
        var firstError: Error?
        let errorLock = NSLock()
        slots.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer  // each index is written by exactly one chunk
            parallelFor(n, threads: threads) { i in
                do { out[i] = try body(i) } catch {
                    errorLock.lock(); if firstError == nil { firstError = error }; errorLock.unlock()
                }
            }
        }
        if let firstError { throw firstError }
        return slots.map { $0! }
    }
}

#if os(Linux)
/// glibc's mallopt(3); <malloc.h> is not part of the Glibc module map.
@_silgen_name("mallopt") private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
