import QVModels
import QVTensor

/// Installing quantizers into a DiT in place, and what the result costs to deploy.
public enum ModelQuantization {
    /// Replaces every quantizable Linear of `model` (all but the patch embedding, DESIGN §5) with a
    /// `QuantizedLinear` of `spec`, returning them by path. `overrides` gives some paths another
    /// spec (mixed precision).
    @discardableResult
    public static func install(on model: VideoDiT, spec: QuantizationSpec, context: QuantizationContext? = nil,
                               overrides: [String: QuantizationSpec] = [:]) -> [(String, QuantizedLinear)] {
        model.quantizableLinears.map { name, linear in
            let q = QuantizedLinear(base: linear, spec: overrides[name] ?? spec, context: context)
            linear.replacement = q
            return (name, q)
        }
    }

    /// The installed quantizers of a model, by path.
    public static func quantizers(of model: VideoDiT) -> [(String, QuantizedLinear)] {
        model.quantizableLinears.compactMap { name, l in
            ((l.replacement as? QuantizedLinear) ?? (l.replacement as? DeployedLinear)?.source).map { (name, $0) }
        }
    }

    /// Removes every replacement (back to full precision).
    public static func uninstall(from model: VideoDiT) {
        for (_, l) in model.namedLinears() { l.replacement = nil }
    }

    /// Deployable size and composition of a (possibly) quantized model.
    public static func summary(of model: VideoDiT) -> QuantizationSummary {
        var s = QuantizationSummary()
        let quantized = Dictionary(uniqueKeysWithValues: quantizers(of: model))
        for (name, linear) in model.namedLinears() {
            let params = linear.weight.count + (linear.bias?.count ?? 0)
            s.fp32Bytes += 4 * params
            if let q = quantized[name] {
                s.quantizedLayers += 1
                s.deployBytes += q.deployBytes(bias: linear.bias?.count ?? 0)
                s.extraParameters += q.extraInferenceParameters
                s.bitsUsed.insert(q.spec.label)
            } else {
                s.fullPrecisionLayers += 1
                s.deployBytes += 4 * params
            }
        }
        // Parameters outside Linears (layer norms, text positions…) stay FP32.
        let owned = Set(model.namedLinears().flatMap { $0.1.ownParameters.map { ObjectIdentifier($0.1) } })
        for (_, p) in model.namedParameters() where !owned.contains(ObjectIdentifier(p)) {
            s.fp32Bytes += 4 * p.count
            s.deployBytes += 4 * p.count
        }
        return s
    }
}

/// What a quantized model costs: bytes at deployment (packed integers, FP16 scales/offsets and
/// branches, FP32 for full-precision layers) against FP32, and extra inference-time parameters.
public struct QuantizationSummary: Sendable, Equatable {
    public var quantizedLayers = 0
    public var fullPrecisionLayers = 0
    public var deployBytes = 0
    public var fp32Bytes = 0
    public var extraParameters = 0
    public var bitsUsed: Set<String> = []

    public var compression: Double { Double(fp32Bytes) / Double(Swift.max(deployBytes, 1)) }
}

extension QuantizedLinear {
    /// Parameters used at inference beyond the quantized weight: low-rank branch, Φ, unmerged LoRA.
    public var extraInferenceParameters: Int {
        (lowRank.map { $0.l1.count + $0.l2.count } ?? 0) + (auxiliary?.parameterCount ?? 0)
            + (lora.map { $0.a.count + $0.b.count } ?? 0)
    }

    /// Deployed bytes: packed weight integers, FP16 step and offset per (row, group), FP16 bias,
    /// FP16 branches (SVDQuant low-rank, Φ), FP16 balancing factors.
    public func deployBytes(bias: Int) -> Int {
        let packed = (outFeatures * inFeatures * spec.weight.bits + 7) / 8
        return packed + 2 * (weightScale.count + weightZero.count) + 2 * bias + 2 * extraInferenceParameters
            + 2 * (smoothing?.count ?? 0)
    }
}
