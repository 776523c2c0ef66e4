import CQVKernels

/// y = x̂ ŵᵀ + bias with integer accumulation (DESIGN.md §9): activations quantized per token,
/// u8 × s8 dot products in int32 (`vpdpbusd` or fallbacks), zero-point corrections from precomputed
/// row/column sums and a float epilogue. Every path gives bit-identical results.
public enum IntegerGEMM {
    /// Quantizes x [M × K] per token (per token per group if the weights are grouped) to
    /// `activationBits` (default: the weights' bits, i.e. W8A8 / W4A4) and multiplies.
    /// - Returns: y, row-major [M × outFeatures].
    public static func matmul(_ x: [Float], weights: PackedLinearWeights, bias: [Float]? = nil,
                              path: KernelPath = .auto, activationBits: Int? = nil,
                              threads: Int? = nil) throws -> [Float] {
        let k = weights.inFeatures
        guard !x.isEmpty, x.count % k == 0 else {
            throw KernelError.invalidArgument(
                "input has \(x.count) values, not a positive multiple of the weights' \(k) input features")
        }
        let rows = x.count / k
        let activations = try QuantizedActivations(x, rows: rows, columns: k,
                                                   bits: activationBits ?? weights.bits,
                                                   granularity: weights.granularity, path: path,
                                                   threads: threads)
        return try matmul(activations, weights: weights, bias: bias, path: path, threads: threads)
    }

    /// Multiplies already quantized activations (the kernel alone, e.g. for benchmarks).
    public static func matmul(_ activations: QuantizedActivations, weights: PackedLinearWeights,
                              bias: [Float]? = nil, path: KernelPath = .auto,
                              threads: Int? = nil) throws -> [Float] {
        var y = [Float](repeating: 0, count: activations.rows * weights.outFeatures)
        try matmul(activations, weights: weights, bias: bias, path: path, threads: threads, into: &y)
        return y
    }

    /// Same, writing into `output` ([rows × outFeatures], reused across calls to avoid allocation).
    public static func matmul(_ activations: QuantizedActivations, weights: PackedLinearWeights,
                              bias: [Float]? = nil, path: KernelPath = .auto, threads: Int? = nil,
                              into output: inout [Float]) throws {
        try checkOperands(activations, weights, path: path)
        if let bias, bias.count != weights.outFeatures {
            throw KernelError.invalidArgument("bias has \(bias.count) values, expected \(weights.outFeatures)")
        }
        let m = activations.rows, n = weights.outFeatures
        guard output.count == m * n else {
            throw KernelError.invalidArgument("output has \(output.count) values, expected \(m)×\(n) = \(m * n)")
        }
        let a = SendableConstPointer(pointer: UnsafePointer(activations.storage.pointer))
        let w = SendableConstPointer(pointer: UnsafePointer(weights.storage.pointer))
        let threadCount = threads ?? RowParallelism.defaultThreads(rows: m, work: m * n * weights.inFeatures)
        try output.withUnsafeMutableBufferPointer { yb in
            let out = SendablePointer(pointer: yb.baseAddress!)
            try withOptionalPointer(bias) { biasPointer in
                let b = biasPointer.map { SendableConstPointer(pointer: $0) }
                try RowParallelism.run(rows: m, threads: threadCount) { range in
                    try KernelError.check(
                        qvk_gemm(path.cValue, a.pointer, w.pointer, b?.pointer, out.pointer,
                                 Int32(range.lowerBound), Int32(range.upperBound)),
                        "GEMM rows \(range.lowerBound)..<\(range.upperBound)", path: path)
                }
            }
        }
        withExtendedLifetime(activations.storage) {}  // C objects stay alive through the calls
        withExtendedLifetime(weights.storage) {}
    }

    /// The raw integer accumulators D[m][g][n] = Σ_k q_a (q_w − offset) over each group (one group
    /// for per-channel weights), offset = 128 for 8-bit weights else 0. For exact tests.
    public static func accumulators(_ activations: QuantizedActivations, weights: PackedLinearWeights,
                                    path: KernelPath = .auto) throws -> [Int32] {
        try checkOperands(activations, weights, path: path)
        var out = [Int32](repeating: 0, count: activations.rows * weights.groupCount * weights.outFeatures)
        let status = out.withUnsafeMutableBufferPointer { o in
            qvk_gemm_accumulators(path.cValue, activations.storage.pointer, weights.storage.pointer,
                                  o.baseAddress, 0, Int32(activations.rows))
        }
        try KernelError.check(status, "integer accumulators", path: path)
        return out
    }

    /// The signed shift applied to stored weights: 128 for 8-bit, 0 for ≤ 7 bits.
    public static func weightOffset(bits: Int) -> Int { bits == 8 ? 128 : 0 }

    static func checkOperands(_ a: QuantizedActivations, _ w: PackedLinearWeights, path: KernelPath) throws {
        guard path.isSupported else { throw KernelError.unsupportedPath(path) }
        guard a.columns == w.inFeatures else {
            throw KernelError.mismatch("activations have \(a.columns) columns, weights \(w.inFeatures) input features")
        }
        guard a.granularity == w.granularity else {
            throw KernelError.mismatch(
                "activations are quantized \(a.granularity), weights \(w.granularity); use the same grouping")
        }
        guard qvk_accumulators_fit(a.storage.pointer, w.storage.pointer) != 0 else {
            let length: Int
            switch w.granularity {
            case .perChannel: length = w.inFeatures
            case .perGroup(let size): length = size
            }
            throw KernelError.invalidArgument(
                "\(length) inputs per int32 accumulator at W\(w.bits)A\(a.bits) can overflow; "
                    + "use per-group quantization or fewer bits")
        }
    }
}
