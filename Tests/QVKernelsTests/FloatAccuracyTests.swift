import Testing
@testable import QVKernels

@Suite struct FloatAccuracyTests {
    /// The Float32 output equals Σ x̂ ŵ + bias within 1e-5 of the output's magnitude Σ|x̂||ŵ| + |b|
    /// (Double reference), and the Float32 fake-quant reference within the same tolerance.
    @Test(arguments: [(8, WeightGranularity.perChannel), (4, .perChannel), (4, .group64), (8, .group64)])
    func outputMatchesFakeQuantReference(bits: Int, granularity: WeightGranularity) throws {
        var rng = TestRNG(seed: 1234 + UInt64(bits))
        let m = 19, n = 67, k = 515
        let x = rng.matrix(rows: m, columns: k), w = rng.matrix(rows: n, columns: k)
        let bias = (0..<n).map { _ in rng.float(-2, 2) }
        let weights = try PackedLinearWeights(weights: w, outFeatures: n, inFeatures: k, bits: bits,
                                              granularity: granularity)
        let acts = try QuantizedActivations(x, rows: m, columns: k, bits: bits, granularity: granularity)
        let y = try IntegerGEMM.matmul(x, weights: weights, bias: bias)
        let exact = Reference.dequantizedGEMM(xhat: acts.dequantized(), what: weights.dequantized(), bias: bias,
                                              m: m, n: n, k: k)
        let fake = try FakeQuantReference.matmul(x, weights: weights, bias: bias)
        var worstExact = 0.0, worstFake = 0.0
        for i in 0..<(m * n) {
            worstExact = max(worstExact, abs(Double(y[i]) - exact.y[i]) / exact.magnitude[i])
            worstFake = max(worstFake, abs(Double(y[i]) - Double(fake[i])) / exact.magnitude[i])
        }
        #expect(worstExact <= 1e-6, "relative error vs Double reference \(worstExact)")
        #expect(worstFake <= 1e-5, "relative error vs Float32 fake-quant reference \(worstFake)")
    }

    /// The quantized GEMM approximates the unquantized float GEMM (sanity of the whole pipeline):
    /// W8A8 within 2% of the output magnitude, W4A4 within 25%.
    @Test func quantizedGEMMApproximatesFloatGEMM() throws {
        var rng = TestRNG(seed: 77)
        let m = 12, n = 33, k = 128
        let x = rng.matrix(rows: m, columns: k), w = rng.matrix(rows: n, columns: k)
        let full = Reference.dequantizedGEMM(xhat: x, what: w, bias: nil, m: m, n: n, k: k)
        for (bits, limit) in [(8, 0.02), (4, 0.25)] {
            let weights = try PackedLinearWeights(weights: w, outFeatures: n, inFeatures: k, bits: bits)
            let y = try IntegerGEMM.matmul(x, weights: weights)
            var worst = 0.0
            for i in 0..<(m * n) { worst = max(worst, abs(Double(y[i]) - full.y[i]) / full.magnitude[i]) }
            #expect(worst < limit, "W\(bits)A\(bits) relative error \(worst)")
        }
    }
}
