import Foundation
import QVModels
import QVQuant
import QVTensor

/// Where teachers are found: an explicit checkpoint path, else the shipped fixture
/// `fixtures/teachers/<model>.safetensors`, else a locally trained `runs/teachers/<model>/teacher.safetensors`.
public enum ModelStore {
    public static func fixturePath(_ model: String) -> String { "fixtures/teachers/\(model).safetensors" }
    public static func trainedPath(_ model: String) -> String { "runs/teachers/\(model)/teacher.safetensors" }

    /// The checkpoint to use for `model`, or an error naming the places looked at and the fix.
    public static func resolve(model: String, checkpoint: String? = nil) throws -> String {
        if let checkpoint {
            guard Files.exists(checkpoint) else { throw HarnessError.io(path: checkpoint, reason: "no such checkpoint") }
            return checkpoint
        }
        for path in [fixturePath(model), trainedPath(model)] where Files.exists(path) { return path }
        guard DiTConfig.knownPresets.contains(model) else {
            throw HarnessError.invalid("unknown model '\(model)'; known: \(DiTConfig.knownPresets.joined(separator: ", "))")
        }
        throw HarnessError.invalid("no teacher for \(model): looked in \(fixturePath(model)) and \(trainedPath(model)); train one with `qvbench teacher train --model \(model)`")
    }

    /// Loads the teacher for `model`, or the given checkpoint — a quantized one (written by
    /// `qvbench quantize`) comes back with its quantizers installed.
    public static func load(model: String, checkpoint: String? = nil) throws -> ReferenceModel {
        let path = try resolve(model: model, checkpoint: checkpoint)
        let file = try SafetensorsFile.read(from: path)
        if QuantizedCheckpoint.isQuantized(file) { return try QuantizedCheckpoint.load(file: file, path: path).model }
        return try ReferenceModel.load(file: file, path: path)
    }
}
