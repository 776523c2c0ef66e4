import QVModels
import QVTensor

/// ViDiT-Q's mixed precision as a layer-sensitivity pass (DESIGN.md §6): quantize one layer at a time
/// (all others full precision), measure the DiT's relative output error against the teacher on the
/// evaluation set, and re-quantize the k most sensitive layers at the high bit width.
///
/// ViDiT-Q decouples sensitivity by generation metric (content vs. temporal quality); we have one
/// metric at this stage (the DiT output error), so the pass ranks layers by that single error.
public enum MixedPrecision {
    /// Every layer's lone-quantization DiT error, in `quantizers` order. Restores all quantizers after.
    public static func sensitivities(of model: ReferenceModel, evaluation: PTQEvaluationSet) -> [(String, Double)] {
        let installed = ModelQuantization.quantizers(of: model.dit)
        let byName = Dictionary(uniqueKeysWithValues: model.dit.quantizableLinears)
        defer { for (name, q) in installed { byName[name]?.replacement = q } }
        for (name, _) in installed { byName[name]?.replacement = nil }
        return installed.map { name, q in
            byName[name]?.replacement = q
            defer { byName[name]?.replacement = nil }
            return (name, Calibration.relativeOutputError(model: model, at: evaluation.inputs, reference: evaluation.reference))
        }
    }

    /// The spec of a sensitive layer: `bits` for weights and activations, groups kept.
    public static func highPrecision(_ spec: QuantizationSpec, bits: Int) -> QuantizationSpec {
        var s = spec
        s.weight.bits = Swift.max(s.weight.bits, bits)
        if s.activation != nil { s.activation!.bits = Swift.max(s.activation!.bits, bits) }
        return s
    }

    static func apply(options: ViDiTQOptions, method: PTQMethod, to model: ReferenceModel, spec: QuantizationSpec,
                      calibration: CalibrationData, evaluation: PTQEvaluationSet, context: QuantizationContext?,
                      report: inout PTQReport) throws {
        let sens = sensitivities(of: model, evaluation: evaluation)
        for (name, s) in sens { if let i = report.layers.firstIndex(where: { $0.layer == name }) { report.layers[i].sensitivity = s } }
        let k = Swift.min(options.mixedPrecisionLayers, sens.count)
        // Stable order: by sensitivity descending, then by model order.
        let ranked = sens.enumerated().sorted { $0.element.1 != $1.element.1 ? $0.element.1 > $1.element.1 : $0.offset < $1.offset }
        let chosen = ranked.prefix(k).map(\.element.0)
        let high = highPrecision(spec, bits: options.highPrecisionBits)
        let byName = Dictionary(uniqueKeysWithValues: model.dit.quantizableLinears)
        for name in chosen {
            guard let base = byName[name], let cal = calibration.layers[name] else { throw PTQError.missingCalibration(layer: name) }
            let (q, r) = try PostTrainingQuantization.quantizeLayer(method, name: name, base: base, calibration: cal,
                                                                    groupCount: calibration.timestepGroups, spec: high,
                                                                    context: context)
            base.replacement = q
            if let i = report.layers.firstIndex(where: { $0.layer == name }) {
                let s = report.layers[i].sensitivity
                report.layers[i] = r
                report.layers[i].sensitivity = s
            }
        }
        report.highPrecisionLayers = chosen
    }
}
