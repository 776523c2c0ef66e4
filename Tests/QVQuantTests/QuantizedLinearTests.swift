import Testing
@testable import QVModels
@testable import QVQuant
@testable import QVTensor

@Suite struct QuantizedLinearTests {
    func layer(_ inF: Int = 64, _ outF: Int = 24, seed: UInt64 = 1) -> Linear {
        var rng = SeededGenerator(seed: seed)
        let l = Linear(inF, outF, rng: &rng)
        for i in 0..<outF { l.bias!.data[i] = rng.uniform(-0.1, 0.1) }
        return l
    }

    @Test(arguments: [(true, false), (false, true), (true, true)])
    func balancingAndRotationPreserveTheFullPrecisionOutput(smooth: Bool, hadamard: Bool) {
        let l = layer(192, 16)
        var rng = SeededGenerator(seed: 2)
        let x = Tensor.randn([5, 192], using: &rng)
        let reference = l(x)
        // 16-bit weights and no activation quantizer: only the transform is exercised.
        let q = QuantizedLinear(base: l, spec: QuantizationSpec(weight: WeightQuantSpec(bits: 16, mseInit: false), activation: nil))
        let m = smooth ? (0..<192).map { _ in rng.uniform(0.2, 5) } : nil
        q.setInputTransform(base: l, smoothing: m, hadamard: hadamard)
        let transformed = q.transformInput(x).linear(weight: q.foldedWeight!, bias: l.bias)
        for (a, b) in zip(reference.data, transformed.data) { #expect(Swift.abs(a - b) < 1e-4) }
    }

    @Test func hadamardIsOrthonormal() {
        let h = BlockHadamard(dimension: 192)
        #expect(h.block == 64)
        for i in stride(from: 0, to: 192, by: 37) { for j in stride(from: 0, to: 192, by: 29) {
            let dot = (0..<192).reduce(Float(0)) { $0 + h.entry(i, $1) * h.entry(j, $1) }
            #expect(Swift.abs(dot - (i == j ? 1 : 0)) < 1e-5)
        } }
        var row = (0..<192).map { Float($0 % 7) }
        let dense = (0..<192).map { j in (0..<192).reduce(Float(0)) { $0 + row[$1] * h.entry($1, j) } }
        h.rotateRows(&row, rows: 1)
        for (a, b) in zip(row, dense) { #expect(Swift.abs(a - b) < 1e-4) }
    }

    @Test func eightBitLayerIsNearlyLossless() {
        let l = layer()
        var rng = SeededGenerator(seed: 3)
        let x = Tensor.randn([7, 64], using: &rng)
        let y = l(x)
        l.replacement = QuantizedLinear(base: l, spec: QuantizationSpec(weight: WeightQuantSpec(bits: 8), activation: ActivationQuantSpec(bits: 8)))
        let yq = l(x)
        let err = zip(y.data, yq.data).reduce(Float(0)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        let norm = y.data.reduce(Float(0)) { $0 + $1 * $1 }
        #expect(err / norm < 1e-3)
        l.replacement = QuantizedLinear(base: l, spec: QuantizationSpec(weight: WeightQuantSpec(bits: 4), activation: ActivationQuantSpec(bits: 4)))
        let y4 = l(x)
        let err4 = zip(y.data, y4.data).reduce(Float(0)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        #expect(err4 > 10 * err)
    }

    @Test func installSummaryCountsBytesAndLayers() throws {
        let c = try DiTConfig.preset("wan-xs", vocabularySize: 8, textLength: 4)
        let model = VideoDiT(c, seed: 4)
        let fp = ModelQuantization.summary(of: model)
        #expect(fp.quantizedLayers == 0 && fp.deployBytes == fp.fp32Bytes && fp.fp32Bytes == 4 * model.parameterCount)
        let installed = ModelQuantization.install(on: model, spec: QuantizationSpec(weight: WeightQuantSpec(bits: 4), activation: ActivationQuantSpec(bits: 4)))
        #expect(installed.count == model.namedLinears().count - 1)
        let s = ModelQuantization.summary(of: model)
        #expect(s.quantizedLayers == installed.count && s.fullPrecisionLayers == 1 && s.extraParameters == 0)
        #expect(s.fp32Bytes == fp.fp32Bytes)
        #expect(s.compression > 5, "W4 model compresses \(s.compression)× vs FP32")
        ModelQuantization.uninstall(from: model)
        #expect(ModelQuantization.summary(of: model) == fp)
    }
}
