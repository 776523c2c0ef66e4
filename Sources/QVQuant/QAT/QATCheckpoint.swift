import Foundation
import QVModels
import QVTensor

/// Resumable QAT state (issue 5): the student's weights, every quantized layer's trainable state
/// (steps, offsets, clipping logits, LoRA, Φ in whichever variant and its current shape, Q-DM's
/// running statistics), the optimizer moments and the step, in one safetensors file written
/// atomically. Restoring it into a freshly built trainer (same teacher, method, spec, settings)
/// continues exactly as the uninterrupted run, since every step's randomness is seeded by its index.
public enum QATCheckpoint {
    static let format = "qvbench-qat-state-v1"

    /// Every trainable tensor of the trainer's optimizer gets a unique, stable name.
    static func nameParameters(_ trainer: KDTrainer) {
        for (path, q) in ModelQuantization.quantizers(of: trainer.student.dit) {
            for (local, t) in q.extraParameters { t.name = "q.\(path).\(local)" }
        }
    }

    /// Per-layer state tensors beyond the trainable ones (masks, statistics, fixed grids).
    static func stateTensors(_ trainer: KDTrainer) throws -> [SafetensorsTensor] {
        var out: [SafetensorsTensor] = []
        func add(_ name: String, _ values: [Float], _ shape: [Int]) throws {
            out.append(try SafetensorsTensor(name: name, floats: values, shape: shape))
        }
        for (path, q) in ModelQuantization.quantizers(of: trainer.student.dit) {
            let p = "q.\(path)."
            try add(p + "weight_scale", q.weightScale.data, q.weightScale.shape)
            try add(p + "weight_zero", q.weightZero.data, q.weightZero.shape)
            if let c = q.clipLogits { try add(p + "act_clip", c.data, c.shape) }
            if let l = q.lora { try add(p + "lora_a", l.a.data, l.a.shape); try add(p + "lora_b", l.b.data, l.b.shape) }
            if let n = q.timestepAwareNorm {
                try add(p + "tan_mean", n.runningMean, [n.features])
                try add(p + "tan_std", n.runningStd, [n.features])
            }
            switch q.auxiliary {
            case let phi as AuxiliaryModule:
                try add(p + "phi_left", phi.left.data, phi.left.shape)
                try add(p + "phi_right", phi.right.data, phi.right.shape)
                try add(p + "phi_mask", phi.mask, [phi.mask.count])
            case let sparse as SparseAuxiliary:
                try add(p + "phi_sparse", sparse.matrix.data, sparse.matrix.shape)
                try add(p + "phi_sparse_mask", sparse.mask, [sparse.mask.count])
                out.append(try SafetensorsTensor(name: p + "phi_sparse_alive", int32: sparse.alive.map { Int32($0) },
                                                 shape: [sparse.alive.count]))
            case let residual as ResidualQuantAuxiliary:
                for (k, t) in residual.terms.enumerated() {
                    try add(p + "phi_term\(k)", t.data, t.shape)
                    try add(p + "phi_term\(k)_scale", residual.scales[k], [residual.rows])
                    try add(p + "phi_term\(k)_zero", residual.zeros[k], [residual.rows])
                }
                try add(p + "phi_term_weights", residual.weights, [residual.weights.count])
            default: break
            }
        }
        return out
    }

    /// Writes the trainer's full state to `path` (atomically).
    public static func save(_ trainer: KDTrainer, to path: String) throws {
        nameParameters(trainer)
        var extra = try stateTensors(trainer)
        for (name, values) in trainer.optimizer.stateDict() {
            extra.append(try SafetensorsTensor(name: "optim." + name, floats: values, shape: [values.count]))
        }
        var metadata = ["qat_format": format, "qat_step": String(trainer.step), "qat_method": trainer.method.name]
        if let qvgen = trainer.method as? QVGenMethod { metadata["qvgen_completed_phases"] = String(qvgen.completedPhases) }
        try trainer.student.save(to: path, extra: extra, extraMetadata: metadata)
    }

    /// Restores a state written by `save` into a freshly built trainer of the same configuration.
    public static func restore(_ trainer: KDTrainer, from path: String) throws {
        let file = try SafetensorsFile.read(from: path)
        func bad(_ problem: String) -> ModelError { .badCheckpoint(path: path, problem: problem) }
        guard file.metadata["qat_format"] == format else { throw bad("not a QAT state file (format \(file.metadata["qat_format"] ?? "none"))") }
        guard file.metadata["qat_method"] == trainer.method.name else {
            throw bad("state of method \(file.metadata["qat_method"] ?? "?"), trainer runs \(trainer.method.name)")
        }
        func floats(_ name: String) throws -> (values: [Float], shape: [Int]) {
            guard let t = file[name] else { throw bad("missing tensor '\(name)'") }
            return (try t.floatValues(), t.shape)
        }
        let saved = try ReferenceModel.load(file: file, path: path)
        for ((_, a), (_, b)) in zip(saved.namedParameters, trainer.student.namedParameters) { b.data = a.data }
        let optimizer = trainer.optimizer
        for (layer, q) in ModelQuantization.quantizers(of: trainer.student.dit) {
            let p = "q.\(layer)."
            q.weightScale.data = try floats(p + "weight_scale").values
            q.weightZero.data = try floats(p + "weight_zero").values
            if let c = q.clipLogits { c.data = try floats(p + "act_clip").values }
            if let l = q.lora { l.a.data = try floats(p + "lora_a").values; l.b.data = try floats(p + "lora_b").values }
            if let n = q.timestepAwareNorm { n.restore(mean: try floats(p + "tan_mean").values, std: try floats(p + "tan_std").values) }
            switch q.auxiliary {
            case let phi as AuxiliaryModule:
                guard file[p + "phi_left"] != nil else {  // Φ was already removed when the state was saved
                    for (_, t) in phi.parameters { optimizer.remove(t) }
                    q.auxiliary = nil
                    continue
                }
                let (l, ls) = try floats(p + "phi_left"), (r, rs) = try floats(p + "phi_right")
                let restored = AuxiliaryModule(left: Tensor(shape: ls, data: l), right: Tensor(shape: rs, data: r))
                restored.mask = try floats(p + "phi_mask").values
                optimizer.replace(phi.left, with: restored.left)
                optimizer.replace(phi.right, with: restored.right)
                q.auxiliary = restored
            case let sparse as SparseAuxiliary:
                guard file[p + "phi_sparse"] != nil else { optimizer.remove(sparse.matrix); q.auxiliary = nil; continue }
                sparse.matrix.data = try floats(p + "phi_sparse").values
                sparse.mask = try floats(p + "phi_sparse_mask").values
                sparse.alive = try (file[p + "phi_sparse_alive"]?.int32Values() ?? []).map(Int.init)
            case let residual as ResidualQuantAuxiliary:
                let kept = (0..<residual.terms.count).filter { file[p + "phi_term\($0)"] != nil }.count
                while residual.terms.count > kept { optimizer.remove(residual.dropLast()) }
                if kept == 0 { q.auxiliary = nil; continue }
                for k in 0..<kept {
                    residual.terms[k].data = try floats(p + "phi_term\(k)").values
                    residual.scales[k] = try floats(p + "phi_term\(k)_scale").values
                    residual.zeros[k] = try floats(p + "phi_term\(k)_zero").values
                }
                residual.weights = try floats(p + "phi_term_weights").values
            default: break
            }
        }
        if let qvgen = trainer.method as? QVGenMethod {
            qvgen.completedPhases = Int(file.metadata["qvgen_completed_phases"] ?? "0") ?? 0
        }
        nameParameters(trainer)
        var state: [String: [Float]] = [:]
        for t in file.tensors where t.name.hasPrefix("optim.") { state[String(t.name.dropFirst(6))] = try t.floatValues() }
        try optimizer.load(stateDict: state)
        trainer.step = Int(file.metadata["qat_step"] ?? "0") ?? 0
    }
}
