import QVModels
import QVTensor

/// Post-training quantization of a reference model's DiT in place (DESIGN.md §6): RTN, ViDiT-Q-style
/// or SVDQuant-style, calibrated on layer inputs captured along the teacher's sampling trajectories.
public enum PostTrainingQuantization {
    /// Quantizes every quantizable layer of `model.dit` with `method` at `spec`, replacing any quantizer
    /// already installed, and reports what each layer chose.
    /// - Parameters:
    ///   - calibration: per-layer statistics from `Calibration.capture` on this model.
    ///   - evaluation: trajectory inputs and teacher predictions; needed only by mixed precision.
    ///   - progress: (layers done, layers total, current layer).
    public static func apply(_ method: PTQMethod, to model: ReferenceModel, spec: QuantizationSpec,
                             calibration: CalibrationData, evaluation: PTQEvaluationSet? = nil,
                             context: QuantizationContext? = nil,
                             progress: ((Int, Int, String) -> Void)? = nil) throws -> PTQReport {
        try validate(method, spec: spec, model: model, evaluation: evaluation)
        ModelQuantization.uninstall(from: model.dit)
        let linears = model.dit.quantizableLinears
        var layers: [PTQLayerReport] = []
        for (i, (name, linear)) in linears.enumerated() {
            progress?(i, linears.count, name)
            guard let cal = calibration.layers[name], cal.inFeatures == linear.inFeatures else {
                throw PTQError.missingCalibration(layer: name)
            }
            let (q, report) = try quantizeLayer(method, name: name, base: linear, calibration: cal,
                                                groupCount: calibration.timestepGroups, spec: spec, context: context)
            linear.replacement = q
            layers.append(report)
        }
        progress?(linears.count, linears.count, "")
        var result = PTQReport(method: method.name, spec: spec, layers: layers, highPrecisionLayers: [])
        if case let .viditq(options) = method, options.mixedPrecisionLayers > 0, let evaluation {
            try MixedPrecision.apply(options: options, method: method, to: model, spec: spec, calibration: calibration,
                                     evaluation: evaluation, context: context, report: &result)
        }
        return result
    }

    /// One layer's quantizer and report for `method` at `spec`.
    static func quantizeLayer(_ method: PTQMethod, name: String, base: Linear, calibration cal: LayerCalibration,
                              groupCount: Int, spec: QuantizationSpec,
                              context: QuantizationContext?) throws -> (QuantizedLinear, PTQLayerReport) {
        let rtn = QuantizedLinear(base: base, spec: spec, context: context)
        let rtnError = cal.criterion(rtn, base: base, groupCount: groupCount, timestepAware: false)
        var report = PTQLayerReport(layer: name, spec: spec.label, alpha: nil, beta: nil, statistic: nil, hadamard: false,
                                    rank: nil, refinementSteps: 0, rtnError: rtnError, error: rtnError, sensitivity: nil)
        switch method {
        case .rtn:
            return (rtn, report)
        case let .viditq(options):
            let choice = ChannelBalancing.search(base: base, calibration: cal, groupCount: groupCount, spec: spec,
                                                 options: options)
            let q = ChannelBalancing.quantizer(base: base, choice: choice, spec: spec, hadamard: options.hadamard,
                                               context: context)
            report.alpha = choice.best.alpha
            report.statistic = choice.best.statistic
            report.hadamard = options.hadamard
            report.error = cal.criterion(q, base: base, groupCount: groupCount, timestepAware: false)
            return (q, report)
        case let .svdquant(options):
            let r = try SVDQuantLayer.quantize(base: base, name: name, calibration: cal, groupCount: groupCount,
                                               spec: spec, options: options, context: context)
            report.alpha = r.alpha
            report.beta = r.beta
            report.rank = r.rank
            report.refinementSteps = r.errorHistory.count - 1
            report.error = r.errorHistory.last!
            return (r.quantizer, report)
        }
    }

    static func validate(_ method: PTQMethod, spec: QuantizationSpec, model: ReferenceModel,
                         evaluation: PTQEvaluationSet?) throws {
        guard spec.activation?.learnClip != true else {
            throw PTQError.invalidOption("PTQ calibrates plain dynamic activations; learnable clipping (learnClip) is for QAT")
        }
        let bits = [spec.weight.bits] + (spec.activation.map { [$0.bits] } ?? [])
        guard bits.allSatisfy({ (2...16).contains($0) }) else {
            throw PTQError.invalidOption("bit widths must be 2…16, got \(spec.label)")
        }
        for (name, l) in model.dit.quantizableLinears {
            if let g = spec.weight.groupSize, g <= 0 || l.inFeatures % g != 0 {
                throw PTQError.invalidOption("weight group \(g) does not divide layer '\(name)' input width \(l.inFeatures)")
            }
            if let g = spec.activation?.groupSize, g <= 0 || l.inFeatures % g != 0 {
                throw PTQError.invalidOption("activation group \(g) does not divide layer '\(name)' input width \(l.inFeatures)")
            }
        }
        switch method {
        case .rtn: break
        case let .viditq(o):
            guard !o.alphas.isEmpty, o.alphas.allSatisfy({ (0...1).contains($0) }) else {
                throw PTQError.invalidOption("ViDiT-Q α grid must be non-empty values in [0, 1], got \(o.alphas)")
            }
            guard o.mixedPrecisionLayers >= 0 else {
                throw PTQError.invalidOption("mixed-precision layer count must be ≥ 0, got \(o.mixedPrecisionLayers)")
            }
            if o.mixedPrecisionLayers > 0 && evaluation == nil { throw PTQError.mixedPrecisionNeedsEvaluationSet }
        case let .svdquant(o):
            guard o.rank >= 0 else { throw PTQError.invalidOption("SVDQuant rank must be ≥ 0, got \(o.rank)") }
            guard !o.alphas.isEmpty, !o.betas.isEmpty else {
                throw PTQError.invalidOption("SVDQuant needs non-empty α and β grids")
            }
        }
    }
}

extension PostTrainingQuantization {
    /// Everything a PTQ run needs from the teacher, in one call: layer statistics captured along the
    /// guided sampling trajectories of `tokens` (training captions), and the evaluation set of points on
    /// the same trajectories (every `stride` steps) with the teacher's predictions there.
    public static func calibrate(model: ReferenceModel, tokens: [[Int]], seeds: [UInt64], steps: Int,
                                 timestepGroups: Int = 2, rowsPerLayer: Int = 512,
                                 stride: Int = 4) -> (calibration: CalibrationData, evaluation: PTQEvaluationSet) {
        let calibration = Calibration.capture(model: model, tokens: tokens, seeds: seeds, steps: steps,
                                              timestepGroups: timestepGroups, rowsPerLayer: rowsPerLayer)
        let inputs = Calibration.trajectoryInputs(model: model, tokens: tokens, seeds: seeds, steps: steps, stride: stride)
        return (calibration, PTQEvaluationSet(model: model, inputs: inputs))
    }
}
