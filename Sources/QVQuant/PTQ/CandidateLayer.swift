import QVModels
import QVTensor

/// A lightweight stand-in for a `QuantizedLinear` during PTQ searches: the same forward pass
/// (x' = x·diag(1/m)·H, Q_a(x'), Q_w(W'), optional low-rank branch) built from the same operations in
/// the same order, so its output is bit-identical to the installed layer's, but with one weight-grid
/// search per candidate instead of the two or three `QuantizedLinear`'s initialisers and transform
/// setters run. Searches try tens of candidates per layer, so this is where PTQ spends its time.
final class CandidateLayer: LinearReplacement {
    let spec: QuantizationSpec
    let smoothing: [Float]?
    let rotation: Tensor?
    /// W' (folded, or SVDQuant's residual), [out, in].
    let latent: Tensor
    let scale: Tensor
    let zero: Tensor
    let lowRank: (l1: Tensor, l2: Tensor)?

    var extraParameters: [(String, Tensor)] { [] }

    /// W·diag(m)·H exactly as `QuantizedLinear.setInputTransform` folds it.
    static func fold(_ base: Linear, smoothing m: [Float]?, hadamard: Bool) -> [Float] {
        let (out, inF) = (base.outFeatures, base.inFeatures)
        var wt = base.weight.data
        if let m { for r in 0..<out { for j in 0..<inF { wt[r * inF + j] *= m[j] } } }
        if hadamard { BlockHadamard(dimension: inF).rotateRows(&wt, rows: out) }
        return wt
    }

    /// The dense rotation `QuantizedLinear` multiplies inputs by.
    static func rotationMatrix(_ n: Int) -> Tensor {
        let h = BlockHadamard(dimension: n)
        return Tensor(shape: [n, n], data: (0..<(n * n)).map { h.entry($0 / n, $0 % n) })
    }

    init(base: Linear, spec: QuantizationSpec, smoothing: [Float]?, rotation: Tensor?, latent: [Float],
         lowRank: (l1: Tensor, l2: Tensor)? = nil) {
        self.spec = spec
        self.smoothing = smoothing
        self.rotation = rotation
        self.lowRank = lowRank
        let (out, inF) = (base.outFeatures, base.inFeatures), w = spec.weight
        let (s, z) = w.mseInit
            ? RangeInit.mseSearch(latent, rows: out, cols: inF, groupSize: w.groupSize, bits: w.bits)
            : RangeInit.minMax(latent, rows: out, cols: inF, groupSize: w.groupSize, bits: w.bits)
        let groups = inF / (w.groupSize ?? inF)
        self.latent = Tensor(shape: [out, inF], data: latent)
        scale = Tensor(shape: [out, groups], data: s)
        zero = Tensor(shape: [out, groups], data: z)
    }

    /// Q_w(W') on the candidate's grid.
    var quantizedWeight: Tensor {
        FakeQuantize.apply(latent, scale: scale, zero: zero, bits: spec.weight.bits, groupSize: spec.weight.groupSize)
    }

    func forward(_ x: Tensor, base: Linear) -> Tensor {
        var xt = x
        if let smoothing { xt = xt * Tensor(shape: [base.inFeatures], data: smoothing.map { 1 / $0 }) }
        if let rotation { xt = xt.matmul(rotation) }
        let xq = spec.activation.map { DynamicQuantize.apply(xt, bits: $0.bits, groupSize: $0.groupSize) } ?? xt
        var y = xq.linear(weight: quantizedWeight, bias: base.bias)
        if let lowRank { y = y + xt.matmul(lowRank.l2, transposeOther: true).matmul(lowRank.l1, transposeOther: true) }
        return y
    }
}
