import Testing
@testable import QVKernels

@Suite struct QuantizePackTests {
    @Test(arguments: [(8, WeightGranularity.perChannel), (4, .perChannel), (4, .group64), (8, .perGroup(size: 16))])
    func activationQuantizeMatchesScalarReference(bits: Int, granularity: WeightGranularity) throws {
        var rng = TestRNG(seed: UInt64(bits * 31 + Int(granularity.groupSize)))
        let m = 23, k = 150
        var x = rng.matrix(rows: m, columns: k)
        for c in 0..<k { x[3 * k + c] = 0.75 }      // constant row
        for c in 0..<k { x[4 * k + c] = 0 }         // zero row
        let ref = Reference.quantizeRows(x, rows: m, columns: k, bits: bits, granularity: granularity)
        for path in KernelPath.supported {
            let a = try QuantizedActivations(x, rows: m, columns: k, bits: bits, granularity: granularity, path: path)
            #expect(a.quantizedValues() == ref.q, "\(path)")
            #expect(a.scales == ref.s, "\(path)")
            #expect(a.zeroPoints == ref.z, "\(path)")
            #expect(a.rowSums == ref.sums, "\(path)")
            #expect(a.paddingIsZero, "\(path)")
        }
        // Constant rows are represented exactly.
        let a = try QuantizedActivations(x, rows: m, columns: k, bits: bits, granularity: granularity)
        let xhat = a.dequantized()
        #expect(abs(xhat[3 * k + 7] - 0.75) <= 1e-6)
        #expect(xhat[4 * k + 7] == 0)
    }

    @Test(arguments: [(8, WeightGranularity.perChannel), (4, .perChannel), (4, .group64), (3, .perGroup(size: 24))])
    func weightQuantizeAndPackRoundTrip(bits: Int, granularity: WeightGranularity) throws {
        var rng = TestRNG(seed: 5 + UInt64(bits))
        let n = 70, k = 131
        let w = rng.matrix(rows: n, columns: k)
        let weights = try PackedLinearWeights(weights: w, outFeatures: n, inFeatures: k, bits: bits,
                                              granularity: granularity)
        let ref = Reference.quantizeRows(w, rows: n, columns: k, bits: bits, granularity: granularity)
        #expect(weights.quantizedValues() == ref.q)
        #expect(weights.scales == ref.s)
        #expect(weights.zeroPoints == ref.z)
        // Dequantized weights are within half a step of the originals (min/max covers the range).
        let what = weights.dequantized()
        let glen = Reference.groupLength(granularity, columns: k)
        for j in 0..<n {
            for c in 0..<k {
                let s = ref.s[j * weights.groupCount + c / glen]
                #expect(abs(what[j * k + c] - w[j * k + c]) <= 0.5 * s * 1.0001 + 1e-6)
            }
        }
    }

    @Test func explicitNonIntegerZeroPointsAreUsed() throws {
        var rng = TestRNG(seed: 17)
        let n = 5, k = 40
        let w = rng.matrix(rows: n, columns: k)
        let scales = (0..<n).map { _ in rng.float(0.01, 0.05) }
        let zeros = (0..<n).map { _ in rng.float(100, 150) }
        let weights = try PackedLinearWeights(weights: w, outFeatures: n, inFeatures: k, bits: 8,
                                              scales: scales, zeroPoints: zeros)
        let ref = Reference.quantizeRows(w, rows: n, columns: k, bits: 8, granularity: .perChannel,
                                         scales: scales, zeros: zeros)
        #expect(weights.quantizedValues() == ref.q)
        #expect(weights.zeroPoints == zeros)
    }
}
