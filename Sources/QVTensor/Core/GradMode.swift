#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Per-thread switch for graph recording. Evaluation and sampling run inside `withNoGrad`, so no
/// backward closures (and the activations they hold) are kept; other threads training at the same
/// time are unaffected.
public enum GradMode {
    /// One pthread key holding this thread's no-grad nesting depth (as a pointer-sized integer).
    private static let depthKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    private static var depth: Int {
        get { Int(bitPattern: pthread_getspecific(depthKey)) }
        set { pthread_setspecific(depthKey, UnsafeRawPointer(bitPattern: newValue)) }
    }

    /// Whether ops on this thread currently record gradients.
    public static var isEnabled: Bool { depth == 0 }

    /// Runs `body` with gradient recording off on this thread.
    public static func withNoGrad<T>(_ body: () throws -> T) rethrows -> T {
        depth += 1
        defer { depth -= 1 }
        return try body()
    }
}

/// Runs `body` with gradient recording off on this thread (evaluation, sampling).
public func withNoGrad<T>(_ body: () throws -> T) rethrows -> T {
    try GradMode.withNoGrad(body)
}
