import Foundation
import QVModels
import QVTensor

/// Save and load of a quantized model: the teacher's tensors (FP32, exact) plus each layer's quantizer
/// state as `qvquant.<layer>.<field>` tensors (weight step/offset, smoothing, folded weight — SVDQuant's
/// residual R —, low-rank factors, activation clip logits) and, in the metadata, each layer's spec and
/// flags as JSON (`qvquant.layers`) and the PTQ report (`qvquant.report`).
public enum QuantizedCheckpoint {
    static let layersKey = "qvquant.layers"
    static let reportKey = "qvquant.report"

    /// What is stored per layer besides its tensors.
    struct LayerRecord: Codable {
        var spec: QuantizationSpec
        var hadamard: Bool
        var smoothing: Bool
        var folded: Bool
        var lowRank: Int?
        var clip: Bool
        /// Q-DM's timestep-aware standardisation statistics are stored (absent in older files).
        var timestepAwareNorm: Bool?
    }

    /// The quantized model as a safetensors file (PTQ results and finished QAT students: LSQ+ grids,
    /// learned clipping, Q-DM statistics). Fails for layers still carrying training-only state (LoRA
    /// before its merge, QVGen's Φ before it decays away), which a deployable model does not have.
    public static func file(of model: ReferenceModel, report: PTQReport? = nil) throws -> SafetensorsFile {
        var tensors: [SafetensorsTensor] = []
        var records: [String: LayerRecord] = [:]
        for (name, q) in ModelQuantization.quantizers(of: model.dit) {
            guard q.lora == nil, q.auxiliary == nil else {
                throw PTQError.invalidOption("layer '\(name)' has LoRA or Φ state, which a PTQ checkpoint does not store")
            }
            func add(_ field: String, _ t: Tensor) throws {
                tensors.append(try SafetensorsTensor(name: "qvquant.\(name).\(field)", floats: t.data, shape: t.shape))
            }
            try add("weight_scale", q.weightScale)
            try add("weight_zero", q.weightZero)
            if let m = q.smoothing { try add("smoothing", Tensor(shape: [m.count], data: m)) }
            if let f = q.foldedWeight { try add("folded_weight", f) }
            if let (l1, l2) = q.lowRank { try add("low_rank_l1", l1); try add("low_rank_l2", l2) }
            if let c = q.clipLogits { try add("act_clip", c) }
            if let n = q.timestepAwareNorm {
                try add("tan_mean", Tensor(shape: [n.features], data: n.runningMean))
                try add("tan_std", Tensor(shape: [n.features], data: n.runningStd))
            }
            records[name] = LayerRecord(spec: q.spec, hadamard: q.rotation != nil, smoothing: q.smoothing != nil,
                                        folded: q.foldedWeight != nil, lowRank: q.lowRank?.l1.shape[1], clip: q.clipLogits != nil,
                                        timestepAwareNorm: q.timestepAwareNorm != nil ? true : nil)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var metadata = [layersKey: String(decoding: try encoder.encode(records), as: UTF8.self)]
        if let report { metadata[reportKey] = String(decoding: try encoder.encode(report), as: UTF8.self) }
        return try model.checkpoint(storage: .f32, extra: tensors, extraMetadata: metadata)
    }

    /// Whether a checkpoint file holds a quantized model (rather than a plain teacher).
    public static func isQuantized(_ file: SafetensorsFile) -> Bool { file.metadata[layersKey] != nil }

    /// Writes the quantized model atomically to `path`.
    public static func save(_ model: ReferenceModel, report: PTQReport? = nil, to path: String) throws {
        try file(of: model, report: report).write(to: path)
    }

    /// Reads a file written by `save` and rebuilds the model with its quantizers installed.
    public static func load(from path: String, context: QuantizationContext? = nil) throws -> (model: ReferenceModel, report: PTQReport?) {
        try load(file: SafetensorsFile.read(from: path), path: path, context: context)
    }

    /// Rebuilds a quantized model from an already-read file.
    public static func load(file: SafetensorsFile, path: String,
                            context: QuantizationContext? = nil) throws -> (model: ReferenceModel, report: PTQReport?) {
        func bad(_ problem: String) -> PTQError { .badQuantizedCheckpoint(path: path, problem: problem) }
        let model = try ReferenceModel.load(file: file, path: path)
        guard let json = file.metadata[layersKey],
              let records = try? JSONDecoder().decode([String: LayerRecord].self, from: Data(json.utf8)) else {
            throw bad("metadata lacks a readable '\(layersKey)' (not a quantized checkpoint?)")
        }
        let report = try file.metadata[reportKey].map { text in
            guard let r = try? JSONDecoder().decode(PTQReport.self, from: Data(text.utf8)) else {
                throw bad("metadata '\(reportKey)' is not a readable PTQ report")
            }
            return r
        }
        let linears = Dictionary(uniqueKeysWithValues: model.dit.quantizableLinears)
        // Timestep-grouped clipping (EfficientDM) needs a context that follows the model's timesteps.
        let groups = records.values.compactMap { $0.clip ? $0.spec.activation?.timestepGroups : nil }.max() ?? 1
        var context = context
        if groups > 1 {
            let c = context ?? QuantizationContext()
            c.attach(to: model.dit, groups: groups)
            context = c
        }
        for (name, record) in records.sorted(by: { $0.key < $1.key }) {
            guard let base = linears[name] else { throw bad("quantized layer '\(name)' does not exist in the model") }
            func floats(_ field: String, _ shape: [Int]) throws -> Tensor {
                let key = "qvquant.\(name).\(field)"
                guard let t = file[key] else { throw bad("missing tensor '\(key)'") }
                guard t.shape == shape else { throw bad("tensor '\(key)' has shape \(t.shape), expected \(shape)") }
                let v = try t.floatValues()
                guard v.allSatisfy(\.isFinite) else { throw bad("tensor '\(key)' contains NaN or infinity") }
                return Tensor(shape: shape, data: v)
            }
            let spec = record.spec
            if let g = spec.weight.groupSize, g <= 0 || base.inFeatures % g != 0 {
                throw bad("layer '\(name)': weight group \(g) does not divide \(base.inFeatures)")
            }
            if let g = spec.activation?.groupSize, g <= 0 || base.inFeatures % g != 0 {
                throw bad("layer '\(name)': activation group \(g) does not divide \(base.inFeatures)")
            }
            let q = QuantizedLinear(base: base, spec: spec, context: context, searchGrid: false)
            let (out, inF) = (base.outFeatures, base.inFeatures)
            if record.smoothing || record.hadamard {
                let m = record.smoothing ? try floats("smoothing", [inF]).data : nil
                if let m, m.contains(where: { $0 <= 0 }) { throw bad("layer '\(name)': smoothing factors must be positive") }
                q.setInputTransform(base: base, smoothing: m, hadamard: record.hadamard, searchGrid: false)
            }
            q.foldedWeight = record.folded ? try floats("folded_weight", [out, inF]) : nil
            let groups = inF / (spec.weight.groupSize ?? inF)
            let scale = try floats("weight_scale", [out, groups]), zero = try floats("weight_zero", [out, groups])
            guard scale.data.allSatisfy({ $0 > 0 }) else { throw bad("layer '\(name)': weight steps must be positive") }
            scale.requiresGrad = spec.weight.learnScale
            zero.requiresGrad = spec.weight.learnZero
            scale.name = "weight_scale"
            zero.name = "weight_zero"
            q.weightScale = scale
            q.weightZero = zero
            if let r = record.lowRank {
                q.lowRank = (try floats("low_rank_l1", [out, r]), try floats("low_rank_l2", [r, inF]))
            }
            if record.clip, let a = spec.activation {
                let c = try floats("act_clip", [a.timestepGroups, 2])
                c.requiresGrad = true
                q.clipLogits = c
            }
            if record.timestepAwareNorm == true {
                let norm = TimestepAwareNorm(features: inF)
                norm.restore(mean: try floats("tan_mean", [inF]).data, std: try floats("tan_std", [inF]).data)
                norm.freeze()
                q.timestepAwareNorm = norm
            }
            base.replacement = q
        }
        return (model, report)
    }
}
