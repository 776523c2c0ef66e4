import QVKernels
import QVModels
import QVTensor

/// Deploy mode (DESIGN.md §9): a quantized layer packed once into integer weights and run through
/// the W8A8/W4A4 kernels. Activations are quantized per token with exactly the fake quantizer's
/// rule (including learned clipping), so the output matches fake quantization up to float
/// summation order; SVDQuant's low-rank branch (and a kept Φ) run as small FP GEMMs beside it.
/// Inference only: no gradients flow through it.
public final class DeployedLinear: LinearReplacement {
    public let source: QuantizedLinear
    public let weights: PackedLinearWeights
    public let path: KernelPath
    let bias: [Float]?

    /// Packs `quantized` (installed on `base`); layers whose activations stay full precision or use
    /// Q-DM's per-channel standardisation cannot run on integer kernels and are rejected.
    public init(_ quantized: QuantizedLinear, base: Linear, path: KernelPath = .auto) throws {
        guard let a = quantized.spec.activation else {
            throw QATError.invalidOption("deploy: a layer with full-precision activations has no integer kernel")
        }
        guard quantized.timestepAwareNorm == nil else {
            throw QATError.invalidOption("deploy: Q-DM's timestep-aware standardisation needs per-channel activation scaling, which the integer kernels do not support")
        }
        guard a.groupSize == quantized.spec.weight.groupSize else {
            throw QATError.invalidOption("deploy: weight and activation groups must match for the integer kernels")
        }
        source = quantized
        self.path = path
        let w = quantized.spec.weight
        weights = try PackedLinearWeights(weights: withNoGrad { quantized.latentWeight(base: base).data },
                                          outFeatures: quantized.outFeatures, inFeatures: quantized.inFeatures, bits: w.bits,
                                          granularity: w.groupSize.map { .perGroup(size: $0) } ?? .perChannel,
                                          scales: quantized.weightScale.data, zeroPoints: quantized.weightZero.data)
        bias = base.bias?.data
    }

    public var extraParameters: [(String, Tensor)] { [] }

    public func forward(_ x: Tensor, base: Linear) -> Tensor {
        let q = source, a = q.spec.activation!
        return withNoGrad {
            let xt = q.transformInput(x)
            let rows = xt.count / q.inFeatures
            let logits = q.clipLogits?.data
            let groups = logits == nil ? nil : q.context?.rowGroups(rows: rows)
            let levels = DynamicQuantize.levels(xt.data, rows: rows, cols: q.inFeatures, bits: a.bits, groupSize: a.groupSize,
                                                clip: logits.map { l in { r in
                                                    let k = Swift.min(groups?[r] ?? 0, a.timestepGroups - 1)
                                                    return (fastSigmoid(l[2 * k]), fastSigmoid(l[2 * k + 1]))
                                                } })
            do {
                let acts = try QuantizedActivations(levels: levels.levels, scales: levels.scales, zeroPoints: levels.zeros,
                                                    rows: rows, columns: q.inFeatures, bits: a.bits,
                                                    granularity: a.groupSize.map { .perGroup(size: $0) } ?? .perChannel)
                var shape = x.shape
                shape[shape.count - 1] = q.outFeatures
                var y = Tensor(shape: shape, data: try IntegerGEMM.matmul(acts, weights: weights, bias: bias, path: path))
                if let lowRank = q.lowRank {
                    y = y + xt.matmul(lowRank.l2, transposeOther: true).matmul(lowRank.l1, transposeOther: true)
                }
                if let aux = q.auxiliary {
                    let dequantized = Tensor(shape: xt.shape, data: zip(levels.levels.indices, levels.levels).map { i, v in
                        let blk = i / q.inFeatures * (levels.scales.count / rows) + (i % q.inFeatures) / (a.groupSize ?? q.inFeatures)
                        return levels.scales[blk] * (Float(v) - levels.zeros[blk])
                    })
                    y = y + aux(dequantized)
                }
                return y
            } catch {
                preconditionFailure("deploy: integer GEMM failed after successful packing: \(error)")
            }
        }
    }
}

extension ModelQuantization {
    /// Swaps every installed `QuantizedLinear` of `model` for its packed integer version and returns how
    /// many layers now run on the integer kernels; throws (naming why) if a layer cannot.
    @discardableResult
    public static func deploy(_ model: VideoDiT, path: KernelPath = .auto) throws -> Int {
        var count = 0
        for (_, linear) in model.quantizableLinears {
            guard let q = linear.replacement as? QuantizedLinear else { continue }
            linear.replacement = try DeployedLinear(q, base: linear, path: path)
            count += 1
        }
        return count
    }
}
