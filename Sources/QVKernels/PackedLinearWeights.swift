import CQVKernels

/// Owns a C `qvk_weights`; immutable after init, so sharing it across threads is safe.
final class WeightStorage: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<qvk_weights>
    init(_ pointer: UnsafeMutablePointer<qvk_weights>) { self.pointer = pointer }
    deinit { qvk_weights_destroy(pointer) }
}

/// A linear layer's weight matrix [outFeatures × inFeatures], quantized to `bits` (asymmetric,
/// q = clamp(round(w/s + z), 0, 2^b − 1), ŵ = s·(q − z)) and packed once in the micro-kernels'
/// layout: 8-bit weights as signed bytes q − 128, ≤ 4-bit weights as nibbles two per byte.
public struct PackedLinearWeights: Sendable {
    public let outFeatures: Int
    public let inFeatures: Int
    public let bits: Int
    public let granularity: WeightGranularity
    let storage: WeightStorage

    /// Quantizes and packs `weights` (row-major, row n = output channel n).
    /// - Parameters:
    ///   - scales, zeroPoints: [outFeatures × groupCount] (row-major); nil → round-to-nearest with
    ///     per-row (per-group) min/max: s = (max − min)/P, z = round(−min/s). Zero points may be
    ///     non-integer (LSQ+); nil zero points with given scales mean 0.
    public init(weights: [Float], outFeatures: Int, inFeatures: Int, bits: Int,
                granularity: WeightGranularity = .perChannel,
                scales: [Float]? = nil, zeroPoints: [Float]? = nil) throws {
        guard outFeatures > 0, inFeatures > 0, outFeatures <= Int(Int32.max), inFeatures <= Int(Int32.max) else {
            throw KernelError.invalidArgument("weight shape \(outFeatures)×\(inFeatures) must be positive")
        }
        guard weights.count == outFeatures * inFeatures else {
            throw KernelError.invalidArgument(
                "weights have \(weights.count) values, expected \(outFeatures)×\(inFeatures) = \(outFeatures * inFeatures)")
        }
        guard (2...8).contains(bits) else {
            throw KernelError.invalidArgument("weight bit width \(bits) (supported: 2...8)")
        }
        if case .perGroup(let size) = granularity, size <= 0 || size % 8 != 0 {
            throw KernelError.invalidArgument("group size \(size) must be a positive multiple of 8")
        }
        let groups = PackedLinearWeights.groupCount(inFeatures: inFeatures, granularity: granularity)
        if let scales, scales.count != outFeatures * groups {
            throw KernelError.invalidArgument("weight scales have \(scales.count) values, expected \(outFeatures * groups)")
        }
        if let zeroPoints, zeroPoints.count != outFeatures * groups {
            throw KernelError.invalidArgument("weight zero points have \(zeroPoints.count) values, expected \(outFeatures * groups)")
        }
        if zeroPoints != nil && scales == nil {
            throw KernelError.invalidArgument("weight zero points given without scales")
        }
        var created: UnsafeMutablePointer<qvk_weights>?
        let status = weights.withUnsafeBufferPointer { w in
            withOptionalPointer(scales) { s in
                withOptionalPointer(zeroPoints) { z in
                    qvk_weights_create(w.baseAddress, Int32(outFeatures), Int32(inFeatures), Int32(bits),
                                       granularity.groupSize, s, z, &created)
                }
            }
        }
        try KernelError.check(status, "weights \(outFeatures)×\(inFeatures) (\(bits)-bit, \(granularity))")
        guard let created else { throw KernelError.allocationFailed("weights \(outFeatures)×\(inFeatures)") }
        self.outFeatures = outFeatures
        self.inFeatures = inFeatures
        self.bits = bits
        self.granularity = granularity
        self.storage = WeightStorage(created)
    }

    static func groupCount(inFeatures: Int, granularity: WeightGranularity) -> Int {
        switch granularity {
        case .perChannel: 1
        case .perGroup(let size): (inFeatures + size - 1) / size
        }
    }

    /// Scale / zero point sets per output channel (1, or ⌈inFeatures / group⌉).
    public var groupCount: Int { Int(storage.pointer.pointee.groups) }

    /// Scales [outFeatures × groupCount].
    public var scales: [Float] {
        Array(UnsafeBufferPointer(start: storage.pointer.pointee.scale, count: outFeatures * groupCount))
    }

    /// Zero points [outFeatures × groupCount].
    public var zeroPoints: [Float] {
        Array(UnsafeBufferPointer(start: storage.pointer.pointee.zero, count: outFeatures * groupCount))
    }

    /// Bytes of the packed integer buffer as allocated (rows padded to 64, K to 64 / the group).
    public var packedBufferBytes: Int { storage.pointer.pointee.packed_bytes }

    /// Bytes of the integers alone at `bits` per weight, without padding: ⌈N·K·b / 8⌉.
    public var integerBytes: Int { (outFeatures * inFeatures * bits + 7) / 8 }

    /// Bytes of the Float32 scales and zero points.
    public var parameterBytes: Int { outFeatures * groupCount * 2 * MemoryLayout<Float>.size }

    /// Deployable size for model-size reports: packed integers + scales + zero points.
    public var deployableBytes: Int { integerBytes + parameterBytes }

    /// The same matrix in Float32, for comparison.
    public var fp32Bytes: Int { outFeatures * inFeatures * MemoryLayout<Float>.size }

    /// Unsigned quantized value q ∈ [0, 2^b − 1], read back from the packed layout.
    public func quantizedValue(row: Int, column: Int) -> Int {
        precondition((0..<outFeatures).contains(row) && (0..<inFeatures).contains(column),
                     "weight index (\(row), \(column)) outside \(outFeatures)×\(inFeatures)")
        return Int(qvk_weights_value(storage.pointer, Int32(row), Int32(column)))
    }

    /// All unsigned quantized values, row-major [outFeatures × inFeatures].
    public func quantizedValues() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: outFeatures * inFeatures)
        let w = storage.pointer
        let k = inFeatures
        out.withUnsafeMutableBufferPointer { buf in
            for n in 0..<outFeatures {
                for c in 0..<k { buf[n &* k &+ c] = UInt8(truncatingIfNeeded: qvk_weights_value(w, Int32(n), Int32(c))) }
            }
        }
        return out
    }

    /// Fake-quantized weights ŵ = s·(q − z), row-major [outFeatures × inFeatures].
    public func dequantized() -> [Float] {
        dequantize(values: quantizedValues(), rows: outFeatures, columns: inFeatures,
                   groupCount: groupCount, granularity: granularity, scales: scales, zeroPoints: zeroPoints)
    }
}

/// x̂ = s·(q − z) with one (s, z) per row or per row per group.
func dequantize(values: [UInt8], rows: Int, columns: Int, groupCount: Int, granularity: WeightGranularity,
                scales: [Float], zeroPoints: [Float]) -> [Float] {
    var out = [Float](repeating: 0, count: rows * columns)
    let groupLength: Int
    switch granularity {
    case .perChannel: groupLength = columns
    case .perGroup(let size): groupLength = size
    }
    values.withUnsafeBufferPointer { q in
        scales.withUnsafeBufferPointer { s in
            zeroPoints.withUnsafeBufferPointer { z in
                out.withUnsafeMutableBufferPointer { o in
                    for r in 0..<rows {
                        for c in 0..<columns {
                            let p = r &* groupCount &+ c / groupLength
                            o[r &* columns &+ c] = s[p] * (Float(q[r &* columns &+ c]) - z[p])
                        }
                    }
                }
            }
        }
    }
    return out
}

func withOptionalPointer<R>(_ array: [Float]?, _ body: (UnsafePointer<Float>?) throws -> R) rethrows -> R {
    guard let array else { return try body(nil) }
    return try array.withUnsafeBufferPointer { try body($0.baseAddress) }
}
