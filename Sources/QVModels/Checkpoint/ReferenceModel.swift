import Foundation
import QVTensor

/// A complete text-to-video model: latent codec, text encoder, DiT and the caption vocabulary.
/// This is what a teacher checkpoint holds and what every method starts from.
public final class ReferenceModel {
    public let config: DiTConfig
    public let codec: LatentCodec
    public let textEncoder: TextEncoder
    public let dit: VideoDiT
    /// Token strings by id (the closed vocabulary the text encoder was trained with).
    public let vocabulary: [String]
    /// Provenance written into the checkpoint (seed, steps, data, command).
    public var info: [String: String]

    public init(config: DiTConfig, codec: LatentCodec, vocabulary: [String], seed: UInt64, info: [String: String] = [:]) {
        precondition(vocabulary.count == config.vocabularySize, "vocabulary has \(vocabulary.count) words, config says \(config.vocabularySize)")
        self.config = config
        self.codec = codec
        self.vocabulary = vocabulary
        self.info = info
        dit = VideoDiT(config, seed: seed)
        textEncoder = TextEncoder(vocabularySize: config.vocabularySize, length: config.textLength, dim: config.textDim,
                                  seed: seed)
    }

    /// Every stored parameter with its checkpoint name ("dit.…", "text_encoder.…"); tensors of
    /// installed quantizers are not included (they are stored by the quantization layer).
    public var namedParameters: [(String, Tensor)] {
        dit.namedBaseParameters(prefix: "dit") + textEncoder.namedBaseParameters(prefix: "text_encoder")
    }

    /// A sampler over this model (its DiT may have been quantized in place).
    public var sampler: Sampler { Sampler(model: dit, textEncoder: textEncoder) }

    /// Encoded B×L ids of the unconditional ("null") caption for `batch` clips.
    public func nullTokens(batch: Int = 1) -> [Int] {
        let one = [1] + [Int](repeating: 0, count: config.textLength - 1)  // <null> then <pad>s
        return Array([[Int]](repeating: one, count: batch).joined())
    }

    /// Decodes sampled latents of `clips` clips to RGB8 frames (clip-major).
    public func decode(_ latents: [Float], clips: Int) -> [[UInt8]] {
        (0..<clips).map { i in
            codec.decode(Array(latents[(i * config.latentCount)..<((i + 1) * config.latentCount)]), frames: config.frames,
                         latentHeight: config.latentHeight, latentWidth: config.latentWidth)
        }
    }
}

/// Storage precision of a checkpoint's parameters.
public enum ParameterStorage: String, Codable, Sendable {
    case f32, f16

    var dtype: SafetensorsDType { self == .f32 ? .f32 : .f16 }
}

extension ReferenceModel {
    static let formatTag = "qvbench-reference-v1"

    /// The model as a safetensors file (parameters, codec, config and vocabulary in the metadata).
    public func checkpoint(storage: ParameterStorage = .f32, extra: [SafetensorsTensor] = [],
                           extraMetadata: [String: String] = [:]) throws -> SafetensorsFile {
        var tensors = try namedParameters.map { name, p in
            try SafetensorsTensor(name: name, floats: p.data, shape: p.shape, storedAs: storage.dtype)
        }
        tensors += [
            try SafetensorsTensor(name: "codec.mean", floats: codec.mean, shape: [codec.patchDim]),
            try SafetensorsTensor(name: "codec.basis", floats: codec.basis, shape: [codec.channels, codec.patchDim]),
            try SafetensorsTensor(name: "codec.scale", floats: codec.scale, shape: [codec.channels]),
        ] + extra
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var metadata = extraMetadata
        metadata["format"] = Self.formatTag
        metadata["config"] = String(decoding: try encoder.encode(config), as: UTF8.self)
        metadata["vocabulary"] = String(decoding: try encoder.encode(vocabulary), as: UTF8.self)
        metadata["info"] = String(decoding: try encoder.encode(info), as: UTF8.self)
        return try SafetensorsFile(tensors: tensors, metadata: metadata)
    }

    /// Writes the model atomically to `path`.
    public func save(to path: String, storage: ParameterStorage = .f32, extra: [SafetensorsTensor] = [],
                     extraMetadata: [String: String] = [:]) throws {
        try checkpoint(storage: storage, extra: extra, extraMetadata: extraMetadata).write(to: path)
    }

    /// Reads a model written by `save`; every defect is reported with the file's path.
    public static func load(from path: String) throws -> ReferenceModel {
        try load(file: SafetensorsFile.read(from: path), path: path)
    }

    /// Builds a model from an already-read checkpoint file.
    public static func load(file: SafetensorsFile, path: String) throws -> ReferenceModel {
        func bad(_ problem: String) -> ModelError { .badCheckpoint(path: path, problem: problem) }
        guard file.metadata["format"] == formatTag else {
            throw bad("not a QVBench model (format '\(file.metadata["format"] ?? "none")', expected '\(formatTag)')")
        }
        let decoder = JSONDecoder()
        guard let configJSON = file.metadata["config"], let vocabJSON = file.metadata["vocabulary"],
              let config = try? decoder.decode(DiTConfig.self, from: Data(configJSON.utf8)),
              let vocabulary = try? decoder.decode([String].self, from: Data(vocabJSON.utf8)) else {
            throw bad("metadata lacks a readable 'config' or 'vocabulary'")
        }
        let info = (try? decoder.decode([String: String].self, from: Data((file.metadata["info"] ?? "{}").utf8))) ?? [:]
        func floats(_ name: String, count: Int) throws -> [Float] {
            guard let t = file[name] else { throw bad("missing tensor '\(name)'") }
            let values = try t.floatValues()
            guard values.count == count else { throw bad("tensor '\(name)' has \(values.count) values, expected \(count)") }
            guard values.allSatisfy(\.isFinite) else { throw bad("tensor '\(name)' contains NaN or infinity") }
            return values
        }
        guard vocabulary.count == config.vocabularySize else {
            throw bad("vocabulary has \(vocabulary.count) words but config says \(config.vocabularySize)")
        }
        let d = config.pixelsPerLatent * config.pixelsPerLatent * 3, channels = config.latentChannels
        let codec = LatentCodec(patch: config.pixelsPerLatent, channels: channels,
                                mean: try floats("codec.mean", count: d), basis: try floats("codec.basis", count: channels * d),
                                scale: try floats("codec.scale", count: channels))
        let model = ReferenceModel(config: config, codec: codec, vocabulary: vocabulary, seed: 0, info: info)
        for (name, p) in model.namedParameters {
            guard let t = file[name] else { throw bad("missing parameter '\(name)'") }
            guard t.shape == p.shape else { throw bad("parameter '\(name)' has shape \(t.shape), model expects \(p.shape)") }
            p.data = try floats(name, count: p.count)
        }
        return model
    }
}
