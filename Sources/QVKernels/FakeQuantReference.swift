/// The float computation the integer kernels implement: dequantize both operands (x̂ = s·(q − z),
/// ŵ likewise) and run a plain Float32 GEMM. This is what a fake-quantized (QAT) layer computes;
/// tests compare the kernels against it.
public enum FakeQuantReference {
    /// y[m][n] = Σ_k x̂[m][k] ŵ[n][k] + bias[n], accumulated in Float in k order.
    public static func matmul(_ activations: QuantizedActivations, weights: PackedLinearWeights,
                              bias: [Float]? = nil) throws -> [Float] {
        guard activations.columns == weights.inFeatures else {
            throw KernelError.mismatch(
                "activations have \(activations.columns) columns, weights \(weights.inFeatures) input features")
        }
        if let bias, bias.count != weights.outFeatures {
            throw KernelError.invalidArgument("bias has \(bias.count) values, expected \(weights.outFeatures)")
        }
        return floatGEMM(activations.dequantized(), weights.dequantized(), bias: bias,
                         m: activations.rows, n: weights.outFeatures, k: weights.inFeatures)
    }

    /// Quantizes x like `IntegerGEMM.matmul` does, then runs the float reference.
    public static func matmul(_ x: [Float], weights: PackedLinearWeights, bias: [Float]? = nil,
                              activationBits: Int? = nil) throws -> [Float] {
        let k = weights.inFeatures
        guard !x.isEmpty, x.count % k == 0 else {
            throw KernelError.invalidArgument(
                "input has \(x.count) values, not a positive multiple of the weights' \(k) input features")
        }
        let a = try QuantizedActivations(x, rows: x.count / k, columns: k, bits: activationBits ?? weights.bits,
                                         granularity: weights.granularity, path: .scalar, threads: 1)
        return try matmul(a, weights: weights, bias: bias)
    }

    /// Naive row-major GEMM: a [m × k] times bᵀ (b is [n × k]).
    static func floatGEMM(_ a: [Float], _ b: [Float], bias: [Float]?, m: Int, n: Int, k: Int) -> [Float] {
        var y = [Float](repeating: 0, count: m * n)
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                y.withUnsafeMutableBufferPointer { yp in
                    for i in 0..<m {
                        for j in 0..<n {
                            var sum: Float = 0
                            for c in 0..<k { sum += ap[i &* k &+ c] * bp[j &* k &+ c] }
                            yp[i &* n &+ j] = sum + (bias?[j] ?? 0)
                        }
                    }
                }
            }
        }
        return y
    }
}
