import Foundation
import Dispatch

/// Threading choice: the C kernels are single-threaded over a row range; Swift splits the rows of
/// large problems into contiguous chunks (multiples of the 6-row tile) and runs them with
/// `DispatchQueue.concurrentPerform`. Each chunk writes disjoint output rows.
enum RowParallelism {
    /// Below this many multiply-accumulates one thread is faster than waking a second one.
    static let minimumWorkForThreads = 1 << 22

    static func defaultThreads(rows: Int, work: Int) -> Int {
        work < minimumWorkForThreads ? 1 : min(ProcessInfo.processInfo.activeProcessorCount, max(1, rows / 6))
    }

    /// Calls `body` on disjoint row ranges covering 0..<rows, on up to `threads` threads; returns the
    /// first error thrown by any chunk.
    static func run(rows: Int, threads: Int, tileRows: Int = 6,
                    _ body: @Sendable (Range<Int>) throws -> Void) throws {
        let chunks = max(1, min(threads, (rows + tileRows - 1) / tileRows))
        if chunks == 1 {
            try body(0..<rows)
            return
        }
        let tiles = (rows + tileRows - 1) / tileRows
        let errors = ErrorSlot()
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let start = min(rows, tiles * chunk / chunks * tileRows)
            let end = min(rows, tiles * (chunk + 1) / chunks * tileRows)
            guard start < end else { return }
            do { try body(start..<end) } catch { errors.record(error) }
        }
        if let error = errors.first { throw error }
    }
}

/// First error recorded from concurrent chunks.
final class ErrorSlot: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Error?
    func record(_ error: Error) {
        lock.lock(); defer { lock.unlock() }
        if stored == nil { stored = error }
    }
    var first: Error? {
        lock.lock(); defer { lock.unlock() }
        return stored
    }
}

/// A raw pointer handed to concurrent chunks that touch disjoint parts of its memory.
struct SendablePointer<Pointee>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Pointee>
}

/// A read-only pointer handed to concurrent chunks.
struct SendableConstPointer<Pointee>: @unchecked Sendable {
    let pointer: UnsafePointer<Pointee>
}
