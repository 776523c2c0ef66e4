import QVData
import QVMedia
import QVModels
import QVTensor

/// One prompt to generate: caption text and sampling seed.
public struct GenerationRequest: Sendable, Hashable {
    public var caption: String
    public var seed: UInt64
    public init(caption: String, seed: UInt64) {
        self.caption = caption
        self.seed = seed
    }
}

/// Samples clips from a (possibly quantized) reference model and decodes them to frames.
public struct ClipGenerator {
    public let model: ReferenceModel
    public let tokenizer: CaptionTokenizer
    public var steps: Int
    public var guidance: Float
    /// Timesteps at which guidance applies (the family's default unless given).
    public var guidanceInterval: GuidanceInterval
    /// Stochasticity of the sampler's steps (DDIM's η; 0, the default, is deterministic).
    public var eta: Float
    /// Clips sampled together in one batch (the CFG batch is twice this).
    public var batch: Int

    public init(model: ReferenceModel, steps: Int = 50, guidance: Float? = nil, guidanceInterval: GuidanceInterval? = nil,
                eta: Float = 0, batch: Int = 4) throws {
        self.model = model
        tokenizer = try CaptionTokenizer.matching(model.vocabulary, maxLength: model.config.textLength)
        self.steps = steps
        self.guidance = guidance ?? model.config.defaultGuidance
        self.guidanceInterval = guidanceInterval ?? model.config.defaultGuidanceInterval
        self.eta = eta
        self.batch = batch
    }

    /// The model's sampler with this generator's guidance interval.
    public var sampler: Sampler {
        var sampler = model.sampler
        sampler.guidanceInterval = guidanceInterval
        sampler.eta = eta
        return sampler
    }

    /// "CFG 6.0" or "CFG 6.0 at t >= 700" (", eta 0.5" for a stochastic sampler), for titles.
    public var guidanceLabel: String {
        guidanceInterval.label(weight: guidance) + (eta == 0 ? "" : ", eta \(eta)")
    }

    /// Caption ids for the model (strict: unknown words are an error listing the vocabulary).
    public func tokens(_ caption: String) throws -> [Int] { try tokenizer.encode(caption).map(Int.init) }

    /// Generates every request, in order; `progress` gets (done, total).
    public func generate(_ requests: [GenerationRequest], progress: ((Int, Int) -> Void)? = nil) throws -> [VideoClip] {
        let c = model.config, sampler = sampler
        var clips: [VideoClip] = []
        for start in stride(from: 0, to: requests.count, by: batch) {
            let chunk = Array(requests[start..<Swift.min(start + batch, requests.count)])
            let ids = try chunk.flatMap { try tokens($0.caption) }
            let latents = sampler.sample(tokens: ids, nullTokens: model.nullTokens(batch: chunk.count),
                                         seeds: chunk.map(\.seed), steps: steps, guidance: guidance)
            for pixels in model.decode(latents, clips: chunk.count) {
                clips.append(VideoClip(frameCount: c.frames, height: c.frameHeight, width: c.frameWidth, fps: 8, pixels: pixels))
            }
            progress?(clips.count, requests.count)
        }
        return clips
    }
}

extension CaptionTokenizer {
    /// The tokenizer whose token list equals a checkpoint's vocabulary (the standard one, extended
    /// with any imported words in order).
    public static func matching(_ vocabulary: [String], maxLength: Int) throws -> CaptionTokenizer {
        let standard = try CaptionTokenizer(maxLength: maxLength)
        guard vocabulary.starts(with: standard.tokens) else {
            throw HarnessError.invalid("the checkpoint's vocabulary does not start with the MotionShapes vocabulary; it was trained with another tokenizer")
        }
        return standard.extended(with: Array(vocabulary.dropFirst(standard.tokens.count)))
    }
}
