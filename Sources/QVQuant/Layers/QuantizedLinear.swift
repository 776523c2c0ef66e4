import Foundation
import QVModels
import QVTensor

/// The replacement every quantization method installs into a `Linear` (DESIGN.md §5–§7).
///
/// Forward, for input x:
///   x' = x·diag(1/m)·H            (optional channel balancing m and Hadamard H, folded into W' = W·diag(m)·H)
///   x̂  = Q_a(x')                   (dynamic per-token fake quantization, unless activations stay FP)
///   y  = x̂·Q_w(W' + B·A)ᵀ + b      (static weight grid; B·A is EfficientDM's LoRA)
///      + x'·L₂ᵀ·L₁ᵀ                (SVDQuant's full-precision low-rank branch)
///      + ((x̂·Rᵀ) ⊙ mask)·Lᵀ        (QVGen's auxiliary module Φ = L·diag(mask)·R)
/// The latent weight is the base layer's own `weight` unless a transform was folded in (`foldedWeight`).
public final class QuantizedLinear: LinearReplacement {
    public let spec: QuantizationSpec
    public let inFeatures: Int, outFeatures: Int
    /// Weight step and offset, rows × groups.
    public var weightScale: Tensor
    public var weightZero: Tensor
    /// Learnable activation clipping logits [timestepGroups, 2], when the spec asks for them.
    public var clipLogits: Tensor?
    /// Channel balancing divisor m (x ← x/m, W ← W·m), fixed after calibration.
    public private(set) var smoothing: [Float]?
    /// Hadamard rotation of the (balanced) input, fixed.
    public private(set) var rotation: Tensor?
    /// Full-precision weight after folding the transforms (replaces the base weight when set).
    public var foldedWeight: Tensor?
    /// SVDQuant low-rank branch: L₁ [out, r], L₂ [r, in].
    public var lowRank: (l1: Tensor, l2: Tensor)?
    /// EfficientDM LoRA: A [r, in], B [out, r].
    public var lora: (a: Tensor, b: Tensor)?
    /// QVGen's Φ.
    public var auxiliary: (any AuxiliaryBranch)?
    /// Q-DM's timestep-aware standardisation around the activation quantizer.
    public var timestepAwareNorm: TimestepAwareNorm?
    /// Shared per-forward state (timestep groups).
    public let context: QuantizationContext?

    /// Builds the quantizer for `base` and initialises its weight grid from the base weight (the MSE
    /// search; pass `searchGrid: false` when the grid is about to be loaded from a checkpoint).
    public init(base: Linear, spec: QuantizationSpec, context: QuantizationContext? = nil, searchGrid: Bool = true) {
        self.spec = spec
        inFeatures = base.inFeatures
        outFeatures = base.outFeatures
        self.context = context
        let w = spec.weight
        precondition(w.groupSize.map { base.inFeatures % $0 == 0 } ?? true,
                     "group \(w.groupSize!) does not divide \(base.inFeatures) input features")
        weightScale = Tensor(1)
        weightZero = Tensor(0)
        if let a = spec.activation, a.learnClip {
            clipLogits = Tensor.full([a.timestepGroups, 2], DynamicQuantize.initialClipLogit, requiresGrad: true)
        }
        if searchGrid {
            reinitializeWeightGrid(from: base.weight)
        } else {
            let groups = inFeatures / (w.groupSize ?? inFeatures)
            weightScale = Tensor.ones([outFeatures, groups])
            weightZero = Tensor.zeros([outFeatures, groups])
        }
    }

    /// Recomputes the weight step/offset from `weight` (the latent or folded weight).
    public func reinitializeWeightGrid(from weight: Tensor) {
        let w = spec.weight
        let (s, z) = w.mseInit
            ? RangeInit.mseSearch(weight.data, rows: outFeatures, cols: inFeatures, groupSize: w.groupSize, bits: w.bits)
            : RangeInit.minMax(weight.data, rows: outFeatures, cols: inFeatures, groupSize: w.groupSize, bits: w.bits)
        let groups = inFeatures / (w.groupSize ?? inFeatures)
        weightScale = Tensor(shape: [outFeatures, groups], data: s, requiresGrad: w.learnScale)
        weightZero = Tensor(shape: [outFeatures, groups], data: z, requiresGrad: w.learnZero)
        weightScale.name = "weight_scale"
        weightZero.name = "weight_zero"
    }

    /// Installs channel balancing and/or rotation, folding them into the weight: W' = W·diag(m)·H, and
    /// re-searches the weight grid for it unless `searchGrid` is false (a grid loaded next).
    public func setInputTransform(base: Linear, smoothing m: [Float]?, hadamard: Bool, searchGrid: Bool = true) {
        smoothing = m
        var wt = base.weight.data
        if let m {
            precondition(m.count == inFeatures, "smoothing needs \(inFeatures) factors")
            for r in 0..<outFeatures { for j in 0..<inFeatures { wt[r * inFeatures + j] *= m[j] } }
        }
        if hadamard {
            let h = BlockHadamard(dimension: inFeatures)
            h.rotateRows(&wt, rows: outFeatures)
            rotation = Tensor(shape: [inFeatures, inFeatures],
                              data: (0..<(inFeatures * inFeatures)).map { h.entry($0 / inFeatures, $0 % inFeatures) })
        } else {
            rotation = nil
        }
        foldedWeight = (m == nil && !hadamard) ? nil : Tensor(shape: base.weight.shape, data: wt)
        if searchGrid { reinitializeWeightGrid(from: foldedWeight ?? base.weight) }
    }

    public var extraParameters: [(String, Tensor)] {
        var out: [(String, Tensor)] = []
        if weightScale.requiresGrad { out.append(("weight_scale", weightScale)) }
        if weightZero.requiresGrad { out.append(("weight_zero", weightZero)) }
        if let clipLogits { out.append(("act_clip", clipLogits)) }
        if let lora { out += [("lora_a", lora.a), ("lora_b", lora.b)] }
        if let auxiliary { out += auxiliary.parameters }
        return out
    }

    /// The transformed (balanced, rotated) input x'.
    public func transformInput(_ x: Tensor) -> Tensor {
        var x = x
        if let smoothing { x = x * Tensor(shape: [inFeatures], data: smoothing.map { 1 / $0 }) }
        if let rotation { x = x.matmul(rotation) }
        return x
    }

    /// The latent weight the grid is applied to (folded weight, plus LoRA).
    public func latentWeight(base: Linear) -> Tensor {
        let w = foldedWeight ?? base.weight
        guard let lora else { return w }
        return w + lora.b.matmul(lora.a)
    }

    /// The fake-quantized weight Q_w(W').
    public func quantizedWeight(base: Linear) -> Tensor {
        let w = spec.weight
        let g = 1 / (Float(inFeatures) * FakeQuantize.levels(w.bits)).squareRoot()
        return FakeQuantize.apply(latentWeight(base: base), scale: weightScale, zero: weightZero, bits: w.bits,
                                  groupSize: w.groupSize, gradScale: g)
    }

    /// Q_a(x') for an already transformed input.
    public func quantizeActivation(_ x: Tensor) -> Tensor {
        guard spec.activation != nil else { return x }
        if let norm = timestepAwareNorm { return norm.apply(x, quantize: quantizeDynamic) }
        return quantizeDynamic(x)
    }

    func quantizeDynamic(_ x: Tensor) -> Tensor {
        guard let a = spec.activation else { return x }
        let rows = x.count / Swift.max(inFeatures, 1)
        return DynamicQuantize.apply(x, bits: a.bits, groupSize: a.groupSize, clipLogits: clipLogits,
                                     rowGroup: clipLogits == nil ? nil : context?.rowGroups(rows: rows).map { g in
                                         g.map { Swift.min($0, a.timestepGroups - 1) }
                                     })
    }

    public func forward(_ x: Tensor, base: Linear) -> Tensor {
        let xt = transformInput(x)
        let xq = quantizeActivation(xt)
        var y = xq.linear(weight: quantizedWeight(base: base), bias: base.bias)
        if let lowRank { y = y + xt.matmul(lowRank.l2, transposeOther: true).matmul(lowRank.l1, transposeOther: true) }
        if let auxiliary { y = y + auxiliary(xq) }
        return y
    }
}
