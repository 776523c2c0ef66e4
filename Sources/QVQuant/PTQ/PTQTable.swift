import Foundation
import QVModels
import QVTensor

/// The PTQ comparison table (DESIGN.md §6): per method and bit width, the DiT's relative output error
/// against the full-precision teacher on trajectory inputs, and the deployable model size.
public enum PTQTable {
    /// One configuration of the table.
    public struct Configuration: Sendable, Hashable {
        public var label: String
        public var spec: QuantizationSpec
        public init(label: String, spec: QuantizationSpec) {
            self.label = label
            self.spec = spec
        }
    }

    /// One measured cell.
    public struct Row: Sendable, Hashable {
        public var model: String
        public var method: String
        public var configuration: String
        public var relativeError: Double
        /// The same on held-out trajectory inputs (captions and noise not used for calibration).
        public var heldOutError: Double?
        public var deployBytes: Int
        public var fp32Bytes: Int
        /// Mean per-layer error after the method and with plain RTN (calibration rows).
        public var meanLayerError: Double
        public var meanLayerRTNError: Double
        public var seconds: Double
    }

    /// W8A8, W4A6 and W4A4 per channel / per token, and W4A4 with groups of 64 for weights and activations.
    public static let standardConfigurations: [Configuration] = [
        Configuration(label: "W8A8", spec: QuantizationSpec(weight: WeightQuantSpec(bits: 8), activation: ActivationQuantSpec(bits: 8))),
        Configuration(label: "W4A6", spec: QuantizationSpec(weight: WeightQuantSpec(bits: 4), activation: ActivationQuantSpec(bits: 6))),
        Configuration(label: "W4A4", spec: QuantizationSpec(weight: WeightQuantSpec(bits: 4), activation: ActivationQuantSpec(bits: 4))),
        Configuration(label: "W4A4-g64", spec: QuantizationSpec(weight: WeightQuantSpec(bits: 4, groupSize: 64),
                                                                activation: ActivationQuantSpec(bits: 4, groupSize: 64))),
    ]

    /// Runs every (method, configuration) on `model` and restores full precision afterwards. The error
    /// column is measured on `evaluation` (the calibration trajectories); `heldOut` adds a column on
    /// other trajectories. `variants` names the methods in the table (default: `method.name`).
    public static func evaluate(model: ReferenceModel, calibration: CalibrationData, evaluation: PTQEvaluationSet,
                                heldOut: PTQEvaluationSet? = nil, methods: [PTQMethod],
                                configurations: [Configuration] = standardConfigurations, variants: [String]? = nil,
                                log: ((String) -> Void)? = nil) throws -> [Row] {
        defer { ModelQuantization.uninstall(from: model.dit) }
        var rows: [Row] = []
        for (index, method) in methods.enumerated() { for c in configurations {
            let start = Date()
            let report = try PostTrainingQuantization.apply(method, to: model, spec: c.spec, calibration: calibration,
                                                            evaluation: evaluation)
            let err = Calibration.relativeOutputError(model: model, at: evaluation.inputs, reference: evaluation.reference)
            let s = ModelQuantization.summary(of: model.dit)
            let n = Double(Swift.max(report.layers.count, 1))
            let held = heldOut.map { Calibration.relativeOutputError(model: model, at: $0.inputs, reference: $0.reference) }
            let name = variants.flatMap { index < $0.count ? $0[index] : nil } ?? method.name
            let row = Row(model: model.config.name, method: name, configuration: c.label, relativeError: err, heldOutError: held,
                          deployBytes: s.deployBytes, fp32Bytes: s.fp32Bytes,
                          meanLayerError: report.layers.reduce(0) { $0 + $1.error } / n,
                          meanLayerRTNError: report.layers.reduce(0) { $0 + $1.rtnError } / n,
                          seconds: Date().timeIntervalSince(start))
            log?(markdownLine(row))
            rows.append(row)
            ModelQuantization.uninstall(from: model.dit)
        } }
        return rows
    }

    /// The rows as a Markdown table.
    public static func markdown(_ rows: [Row]) -> String {
        var lines = [
            "| model | method | bits | DiT rel. output error (calib.) | held-out | mean layer error (RTN → method) | deploy bytes | FP32 bytes | time (s) |",
            "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        lines += rows.map(markdownLine)
        return lines.joined(separator: "\n") + "\n"
    }

    static func markdownLine(_ r: Row) -> String {
        "| \(r.model) | \(r.method) | \(r.configuration) | \(String(format: "%.4g", r.relativeError)) | "
            + "\(r.heldOutError.map { String(format: "%.4g", $0) } ?? "–") | "
            + "\(String(format: "%.3g → %.3g", r.meanLayerRTNError, r.meanLayerError)) | \(r.deployBytes) | \(r.fp32Bytes) | "
            + "\(String(format: "%.1f", r.seconds)) |"
    }
}
