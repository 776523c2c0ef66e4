/// The two reference families, mirroring the paper's models (DESIGN.md §3).
public enum ModelFamily: String, Codable, Sendable, CaseIterable {
    /// Wan-like: rectified flow, velocity target, cross-attention to text, Euler sampler (shift 3), CFG 5.
    case wan
    /// CogVideoX-like: DDPM v-prediction, joint [text; video] attention with per-modality adaLN,
    /// DDIM trailing sampler, CFG 6.
    case cogx

    /// Timesteps at which the family's sampler applies guidance. `wan`: every step (DESIGN.md).
    /// `cogx`: t ≥ 700 only, a deliberate deviation: with guidance at every step the `cogx-s` teachers
    /// lose the captioned motion at low noise, where guidance amplifies frame-to-frame changes of the
    /// object's shape; for `wan-s` limiting it made no difference (reports/teachers).
    public var defaultGuidanceInterval: GuidanceInterval {
        self == .wan ? .everyStep : GuidanceInterval(lowest: 700, highest: 1000)
    }

    /// The family of a preset name ("cogx-s" → `.cogx`); nil when the name does not start with one.
    public init?(presetName: String) {
        self.init(rawValue: String(presetName.prefix { $0 != "-" }))
    }
}

/// Everything that determines a reference DiT's shape. Presets are named `<family>-<size>`.
public struct DiTConfig: Codable, Sendable, Hashable {
    public var family: ModelFamily
    public var size: String
    public var hidden: Int
    public var depth: Int
    public var heads: Int
    public var mlpRatio: Int
    /// Latent video geometry: frames × latentHeight × latentWidth × latentChannels.
    public var frames: Int
    public var latentHeight: Int
    public var latentWidth: Int
    public var latentChannels: Int
    /// Token patch in latent pixels (1×patch×patch per token, DESIGN §3).
    public var patch: Int
    /// Caption length in tokens and vocabulary size of the closed-vocabulary text encoder.
    public var textLength: Int
    public var vocabularySize: Int
    public var textDim: Int
    /// Pixel size of one latent cell (the codec's patch edge); frames are latent × this.
    public var pixelsPerLatent: Int
    /// `cogx` only: SNR shift s of the DDPM schedule (ᾱ ← ᾱ/(s + (1−s)ᾱ)). Presets use 1.0, as
    /// CogVideoX-5B does; nil (checkpoints written before this field existed) means 3.0, CogVideoX-2B's,
    /// which at our 8×8 latents put ~40% of training timesteps at SNR < 0.02, and the teachers trained
    /// with it never learnt to form trajectories (see reports/teachers).
    public var snrShift: Float?

    /// Video tokens per clip.
    public var videoTokens: Int { frames * (latentHeight / patch) * (latentWidth / patch) }
    /// Values per token patch.
    public var patchDim: Int { patch * patch * latentChannels }
    /// Output frame size in pixels.
    public var frameHeight: Int { latentHeight * pixelsPerLatent }
    public var frameWidth: Int { latentWidth * pixelsPerLatent }
    /// Latent values per clip.
    public var latentCount: Int { frames * latentHeight * latentWidth * latentChannels }
    /// "wan-s" style identifier.
    public var name: String { "\(family.rawValue)-\(size)" }

    /// The noise schedule and sampler of this model: flow matching with shift 3 (wan), DDPM
    /// v-prediction with this config's SNR shift (cogx).
    public var schedule: any NoiseSchedule {
        switch family {
        case .wan: return FlowMatchingSchedule(shift: 3.0)
        case .cogx: return VPredictionSchedule(snrShift: snrShift ?? 3.0)
        }
    }

    /// Default classifier-free guidance weight of the family (paper's settings).
    public var defaultGuidance: Float { family == .wan ? 5.0 : 6.0 }

    /// Timesteps at which the family's sampler applies guidance (`ModelFamily.defaultGuidanceInterval`).
    public var defaultGuidanceInterval: GuidanceInterval { family.defaultGuidanceInterval }

    /// Known sizes: `xs` for CI, `s` default, `m` for the paper tables, `l` for the large-model table.
    public static let sizes: [String: (hidden: Int, depth: Int, heads: Int)] = [
        "xs": (64, 2, 4), "s": (128, 4, 4), "m": (192, 6, 6), "l": (256, 8, 8),
    ]

    /// The preset called `name` ("wan-s", "cogx-m", …).
    public static func preset(_ name: String, vocabularySize: Int, textLength: Int = 16) throws -> DiTConfig {
        let parts = name.split(separator: "-", maxSplits: 1).map(String.init)
        guard parts.count == 2, let family = ModelFamily(presetName: name), let s = sizes[parts[1]] else {
            throw ModelError.unknownPreset(name: name, known: knownPresets)
        }
        return DiTConfig(family: family, size: parts[1], hidden: s.hidden, depth: s.depth, heads: s.heads,
                         mlpRatio: 4, frames: 8, latentHeight: 8, latentWidth: 8, latentChannels: 12, patch: 2,
                         textLength: textLength, vocabularySize: vocabularySize, textDim: 64, pixelsPerLatent: 4,
                         snrShift: family == .cogx ? 1.0 : nil)
    }

    /// Every preset name.
    public static var knownPresets: [String] {
        ModelFamily.allCases.flatMap { f in ["xs", "s", "m", "l"].map { "\(f.rawValue)-\($0)" } }
    }
}

/// Model construction and loading errors.
public enum ModelError: Error, CustomStringConvertible {
    case unknownPreset(name: String, known: [String])
    case badCheckpoint(path: String, problem: String)
    case incompatibleGrowth(from: String, sourceDepth: Int, to: String, targetDepth: Int)

    public var description: String {
        switch self {
        case let .unknownPreset(name, known):
            return "unknown model '\(name)'; known models: \(known.joined(separator: ", "))"
        case let .badCheckpoint(path, problem):
            return "checkpoint \(path): \(problem)"
        case let .incompatibleGrowth(source, d, target, t):
            return "cannot grow \(source) (depth \(d)) into \(target) (depth \(t)): only a shallower model of the same family, width and data shape can be grown"
        }
    }
}
