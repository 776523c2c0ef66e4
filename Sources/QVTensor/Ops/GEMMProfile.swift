import Synchronization

/// One GEMM call's shape, as recorded by `GEMMProfile`.
public struct GEMMShape: Sendable, Hashable {
    public var m: Int, n: Int, k: Int
    public var transA: Bool, transB: Bool

    public init(m: Int, n: Int, k: Int, transA: Bool, transB: Bool) {
        (self.m, self.n, self.k, self.transA, self.transB) = (m, n, k, transA, transB)
    }
    /// Floating-point operations (2·m·n·k).
    public var flops: Int { 2 * m * n * k }
}

/// Records the shapes of every `sgemm` call while enabled, so a benchmark can replay exactly the
/// GEMMs of a training step and compare the step's time with its pure-GEMM time.
public enum GEMMProfile {
    private static let enabled = Atomic<Bool>(false)
    private static let log = Mutex<[GEMMShape]>([])

    /// Runs `body` and returns the GEMMs it issued (on any thread).
    public static func record<T>(_ body: () throws -> T) rethrows -> (T, [GEMMShape]) {
        log.withLock { $0 = [] }
        enabled.store(true, ordering: .sequentiallyConsistent)
        defer { enabled.store(false, ordering: .sequentiallyConsistent) }
        let result = try body()
        return (result, log.withLock { $0 })
    }

    @inline(__always) static func note(_ shape: @autoclosure () -> GEMMShape) {
        guard enabled.load(ordering: .relaxed) else { return }
        let s = shape()
        log.withLock { $0.append(s) }
    }
}
