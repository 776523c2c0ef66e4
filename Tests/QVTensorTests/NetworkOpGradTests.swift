import Testing
@testable import QVTensor

@Suite struct NetworkOpGradTests {
    @Test func matmulEveryTransposeAndBatching() {
        for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
            let a = rand(ta ? [2, 4, 3] : [2, 3, 4], seed: 31), b = rand(tb ? [2, 5, 4] : [2, 4, 5], seed: 32)
            gradCheck("bmm \(ta) \(tb)", [a, b]) { $0[0].matmul($0[1], transposeSelf: ta, transposeOther: tb) }
            let w = rand(tb ? [5, 4] : [4, 5], seed: 33)
            gradCheck("shared \(ta) \(tb)", [a, w]) { $0[0].matmul($0[1], transposeSelf: ta, transposeOther: tb) }
        }
    }

    @Test func matmulMatchesNaive() {
        let a = rand([3, 5], seed: 34), b = rand([5, 2], seed: 35)
        let c = a.matmul(b)
        for i in 0..<3 { for j in 0..<2 {
            var s: Float = 0
            for k in 0..<5 { s += a.data[i * 5 + k] * b.data[k * 2 + j] }
            #expect(Swift.abs(c.data[i * 2 + j] - s) < 1e-5)
        } }
    }

    @Test func linearSoftmaxLayerNormEmbeddingLoss() {
        let x = rand([2, 3, 4], seed: 41), w = rand([5, 4], seed: 42), b = rand([5], seed: 43)
        gradCheck("linear", [x, w, b]) { $0[0].linear(weight: $0[1], bias: $0[2]) }
        gradCheck("softmax", [rand([3, 6], -2, 2, seed: 44)]) { $0[0].softmax() }
        let g = rand([4], seed: 45), beta = rand([4], seed: 46)
        gradCheck("layernorm", [x]) { $0[0].layerNorm() }
        gradCheck("layernorm affine", [x, g, beta]) { $0[0].layerNorm(weight: $0[1], bias: $0[2]) }
        let table = rand([6, 3], seed: 47)
        gradCheck("embedding", [table]) { Tensor.embedding($0[0], ids: [0, 5, 2, 5], idsShape: [2, 2]) }
        gradCheck("mse", [x, rand([2, 3, 4], seed: 48)]) { Tensor.mseLoss($0[0], $0[1]) }
        gradCheck("temporal difference mse", [rand([2, 3, 2, 2], seed: 49), rand([2, 3, 2, 2], seed: 50)]) {
            Tensor.temporalDifferenceMSE($0[0], $0[1], sampleWeights: [0.7, 2])
        }
    }

    @Test func temporalDifferenceMSEWeighsOnlyErrorThatChangesOverTime() {
        let target = rand([2, 3, 4], seed: 54)
        // An error that is the same in every frame costs nothing.
        let static_ = Tensor(shape: target.shape, data: target.data.enumerated().map { i, v in v + Float(i % 4) - 1.5 })
        #expect(Tensor.temporalDifferenceMSE(static_, target, sampleWeights: [1, 1]).item < 1e-10)
        // An error δ in frame 1 of sample 1 only: differences +δ then −δ, so w·2δ²/(2·2·4) = w·δ²/8.
        var bumped = target.data
        bumped[1 * 12 + 4 + 2] += 0.5
        let value = Tensor.temporalDifferenceMSE(Tensor(shape: target.shape, data: bumped), target, sampleWeights: [9, 3]).item
        #expect(Swift.abs(value - 3 * 0.25 / 8) < 1e-6)
    }

    @Test(arguments: [0, 1, 2])
    func attention(maskKind: Int) {
        let q = rand([2, 2, 3, 4], seed: 51), k = rand([2, 2, 5, 4], seed: 52), v = rand([2, 2, 5, 3], seed: 53)
        let mask: AttentionMask? = switch maskKind {
        case 1: .keyPadding(valid: [true, true, true, false, false, true, true, true, true, true])
        case 2: .additive(bias: (0..<15).map { Float($0 % 4) * -0.5 })
        default: nil
        }
        gradCheck("attention \(maskKind)", [q, k, v]) { Tensor.attention(query: $0[0], key: $0[1], value: $0[2], mask: mask) }
    }

    @Test func attentionMatchesComposedOps() {
        let q = rand([1, 2, 3, 4], seed: 54), k = rand([1, 2, 5, 4], seed: 55), v = rand([1, 2, 5, 3], seed: 56)
        let fused = Tensor.attention(query: q, key: k, value: v)
        let composed = (q.matmul(k, transposeOther: true) * 0.5).softmax().matmul(v)
        for (a, b) in zip(fused.data, composed.data) { #expect(Swift.abs(a - b) < 1e-5) }
        let normed = rand([2, 7], seed: 57).layerNorm()
        #expect(Swift.abs(normed.mean(axes: [1]).data[0]) < 1e-5)
        #expect(Swift.abs(normed.variance(axes: [1]).data[1] - 1) < 1e-3)
    }
}
