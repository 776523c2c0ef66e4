import Testing
@testable import QVKernels

@Suite struct SizeAndErrorTests {
    @Test func packedByteCounts() throws {
        let n = 512, k = 512
        let w = [Float](repeating: 0.5, count: n * k).enumerated().map { Float($0.offset % 7) - 3 + $0.element }
        let w4 = try PackedLinearWeights(weights: w, outFeatures: n, inFeatures: k, bits: 4)
        #expect(w4.integerBytes == n * k / 2)
        #expect(w4.packedBufferBytes == n * k / 2)
        #expect(w4.parameterBytes == n * 8)
        #expect(w4.deployableBytes == n * k / 2 + n * 8)
        let ratio = Double(w4.deployableBytes) / Double(w4.fp32Bytes)
        #expect(ratio > 0.125 && ratio < 0.13)
        let w8 = try PackedLinearWeights(weights: w, outFeatures: n, inFeatures: k, bits: 8)
        #expect(w8.packedBufferBytes == n * k)
        let g = try PackedLinearWeights(weights: w, outFeatures: n, inFeatures: k, bits: 4, granularity: .group64)
        #expect(g.groupCount == 8)
        #expect(g.deployableBytes == n * k / 2 + n * 8 * 8)
        // Ragged shapes pad to 64 columns × 64 K in the buffer but not in the deployable count.
        let r = try PackedLinearWeights(weights: Array(w[0..<(65 * 17)]), outFeatures: 65, inFeatures: 17, bits: 4)
        #expect(r.packedBufferBytes == 128 * 64 / 2)
        #expect(r.integerBytes == (65 * 17 * 4 + 7) / 8)
    }

    @Test func badInputsThrowNamedErrors() throws {
        let w = [Float](repeating: 1, count: 12)
        #expect(throws: KernelError.self) { try PackedLinearWeights(weights: w, outFeatures: 5, inFeatures: 3, bits: 4) }
        #expect(throws: KernelError.self) { try PackedLinearWeights(weights: w, outFeatures: 4, inFeatures: 3, bits: 9) }
        #expect(throws: KernelError.self) {
            try PackedLinearWeights(weights: w, outFeatures: 4, inFeatures: 3, bits: 4, granularity: .perGroup(size: 12))
        }
        #expect(throws: KernelError.invalidScale("weights 4×3 (4-bit, per-channel)")) {
            try PackedLinearWeights(weights: w, outFeatures: 4, inFeatures: 3, bits: 4, scales: [1, 0, 1, 1])
        }
        var bad = w
        bad[2] = .nan
        #expect(throws: KernelError.nonFiniteInput("weights 4×3 (4-bit, per-channel)")) {
            try PackedLinearWeights(weights: bad, outFeatures: 4, inFeatures: 3, bits: 4)
        }
        let weights = try PackedLinearWeights(weights: w, outFeatures: 4, inFeatures: 3, bits: 4)
        #expect(throws: KernelError.self) { try IntegerGEMM.matmul([1, 2], weights: weights) }
        #expect(throws: KernelError.self) { try IntegerGEMM.matmul([1, 2, 3], weights: weights, bias: [1]) }
        do {
            _ = try IntegerGEMM.matmul([1, .infinity, 3], weights: weights)
            Issue.record("infinite activation accepted")
        } catch let error as KernelError {
            guard case .nonFiniteInput = error else { Issue.record("wrong error \(error)"); return }
            #expect(error.description.contains("NaN or infinity"))
        }
        let grouped = try QuantizedActivations([1, 2, 3], rows: 1, columns: 3, bits: 4, granularity: .group64)
        #expect(throws: KernelError.self) { try IntegerGEMM.matmul(grouped, weights: weights) }
    }

    /// 8-bit per-channel accumulators overflow int32 beyond K = 65,793; groups avoid it.
    @Test func accumulatorOverflowIsRejected() throws {
        let k = 66_000
        let w = (0..<k).map { Float($0 % 13) - 6 }
        let perChannel = try PackedLinearWeights(weights: w, outFeatures: 1, inFeatures: k, bits: 8)
        #expect(throws: KernelError.self) { try IntegerGEMM.matmul(w, weights: perChannel) }
        let grouped = try PackedLinearWeights(weights: w, outFeatures: 1, inFeatures: k, bits: 8, granularity: .group64)
        let y = try IntegerGEMM.matmul(w, weights: grouped)
        let ref = try FakeQuantReference.matmul(w, weights: grouped)
        #expect(abs(y[0] - ref[0]) <= 1e-4 * abs(ref[0]))
        let four = try PackedLinearWeights(weights: w, outFeatures: 1, inFeatures: k, bits: 4)
        #expect(try IntegerGEMM.matmul(w, weights: four).count == 1)
    }

    @Test func pathQueries() {
        #expect(KernelPath.supported.contains(.scalar))
        #expect(KernelPath.best.isSupported)
        #expect(KernelPath.auto.resolved == KernelPath.best)
    }
}
