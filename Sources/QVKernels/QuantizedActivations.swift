import CQVKernels

/// Owns a C `qvk_activations`; written only during `QuantizedActivations.init`, read-only after.
final class ActivationStorage: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<qvk_activations>
    init(_ pointer: UnsafeMutablePointer<qvk_activations>) { self.pointer = pointer }
    deinit { qvk_activations_destroy(pointer) }
}

/// Activations [rows × columns] quantized per token (row), or per token per group, in one pass:
/// min/max → s = (max − min)/P, z = round(−min/s), q = clamp(round(x/s + z), 0, P), Σq.
/// Stored one byte per value, padded to the kernels' K.
public struct QuantizedActivations: Sendable {
    public let rows: Int
    public let columns: Int
    public let bits: Int
    public let granularity: WeightGranularity
    let storage: ActivationStorage

    /// - Parameters:
    ///   - granularity: `.perChannel` = per token; `.perGroup(size:)` = per token per group.
    ///   - path: which vectorized quantizer runs (all give identical bytes).
    ///   - threads: rows are split across this many threads (nil: chosen by size).
    public init(_ x: [Float], rows: Int, columns: Int, bits: Int,
                granularity: WeightGranularity = .perChannel,
                path: KernelPath = .auto, threads: Int? = nil) throws {
        guard rows > 0, columns > 0, rows < Int(Int32.max), columns <= Int(Int32.max) else {
            throw KernelError.invalidArgument("activation shape \(rows)×\(columns) must be positive")
        }
        guard x.count == rows * columns else {
            throw KernelError.invalidArgument(
                "activations have \(x.count) values, expected \(rows)×\(columns) = \(rows * columns)")
        }
        guard (2...8).contains(bits) else {
            throw KernelError.invalidArgument("activation bit width \(bits) (supported: 2...8)")
        }
        if case .perGroup(let size) = granularity, size <= 0 || size % 8 != 0 {
            throw KernelError.invalidArgument("group size \(size) must be a positive multiple of 8")
        }
        guard path.isSupported else { throw KernelError.unsupportedPath(path) }
        var created: UnsafeMutablePointer<qvk_activations>?
        try KernelError.check(
            qvk_activations_create(Int32(rows), Int32(columns), Int32(bits), granularity.groupSize, &created),
            "activations \(rows)×\(columns)")
        guard let created else { throw KernelError.allocationFailed("activations \(rows)×\(columns)") }
        let storage = ActivationStorage(created)
        let target = SendablePointer(pointer: created)
        let cPath = path.cValue
        let threadCount = threads ?? RowParallelism.defaultThreads(rows: rows, work: rows * columns * 16)
        try x.withUnsafeBufferPointer { xb in
            let source = SendableConstPointer(pointer: xb.baseAddress!)
            try RowParallelism.run(rows: rows, threads: threadCount) { range in
                try KernelError.check(
                    qvk_activations_quantize(target.pointer, source.pointer, Int32(range.lowerBound),
                                             Int32(range.upperBound), cPath),
                    "activation rows \(range.lowerBound)..<\(range.upperBound)", path: path)
            }
        }
        self.rows = rows
        self.columns = columns
        self.bits = bits
        self.granularity = granularity
        self.storage = storage
    }

    /// Scale / zero point sets per row (1, or ⌈columns / group⌉).
    public var groupCount: Int { Int(storage.pointer.pointee.groups) }

    /// Scales [rows × groupCount].
    public var scales: [Float] {
        Array(UnsafeBufferPointer(start: storage.pointer.pointee.scale, count: rows * groupCount))
    }

    /// Zero points [rows × groupCount] (integer-valued floats from the min/max rule).
    public var zeroPoints: [Float] {
        Array(UnsafeBufferPointer(start: storage.pointer.pointee.zero, count: rows * groupCount))
    }

    /// Σ q per row (per group) [rows × groupCount], over the real columns.
    public var rowSums: [Int32] {
        Array(UnsafeBufferPointer(start: storage.pointer.pointee.qsum, count: rows * groupCount))
    }

    /// The quantized bytes, row-major [rows × columns] (padding dropped).
    public func quantizedValues() -> [UInt8] {
        let a = storage.pointer.pointee
        var out = [UInt8](repeating: 0, count: rows * columns)
        out.withUnsafeMutableBufferPointer { o in
            for r in 0..<rows {
                let src = a.q + r * Int(a.k_padded)
                for c in 0..<columns { o[r &* columns &+ c] = src[c] }
            }
        }
        return out
    }

    /// True if every padding byte (columns beyond K, and the zero row) is 0, as the kernels require.
    public var paddingIsZero: Bool {
        let a = storage.pointer.pointee
        let kp = Int(a.k_padded)
        for r in 0..<rows {
            for c in columns..<kp where a.q[r * kp + c] != 0 { return false }
        }
        for c in 0..<kp where a.q[rows * kp + c] != 0 { return false }
        return true
    }

    /// Fake-quantized activations x̂ = s·(q − z), row-major [rows × columns].
    public func dequantized() -> [Float] {
        dequantize(values: quantizedValues(), rows: rows, columns: columns, groupCount: groupCount,
                   granularity: granularity, scales: scales, zeroPoints: zeroPoints)
    }
}
