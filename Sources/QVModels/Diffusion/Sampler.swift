import QVTensor

/// Samples latent clips from a DiT with classifier-free guidance: the conditional and unconditional
/// ("null caption") predictions are computed in one batch of 2·B and combined as
/// u + w·(c − u) before each schedule step inside the guidance interval.
public struct Sampler {
    public let model: VideoDiT
    public let textEncoder: TextEncoder
    public let schedule: any NoiseSchedule
    /// Timesteps at which guidance applies; the conditional prediction alone elsewhere. Defaults to the
    /// family's (`DiTConfig.defaultGuidanceInterval`).
    public var guidanceInterval: GuidanceInterval
    /// Stochasticity of each step (DDIM's η): 0 is the deterministic sampler (Euler / DDIM), 1 draws from
    /// the posterior at every step. The fresh noise is seeded per clip, so a clip does not depend on its batch.
    public var eta: Float = 0

    public init(model: VideoDiT, textEncoder: TextEncoder, schedule: (any NoiseSchedule)? = nil,
                guidanceInterval: GuidanceInterval? = nil) {
        self.model = model
        self.textEncoder = textEncoder
        self.schedule = schedule ?? model.config.schedule
        self.guidanceInterval = guidanceInterval ?? model.config.defaultGuidanceInterval
    }

    /// Guided prediction for latents x (B clips) at timestep t. `tokens` and `nullTokens` are B×L ids.
    /// With guidance 1, or at a timestep outside the guidance interval, this is exactly the conditional
    /// prediction (the unconditional pass is skipped).
    public func guidedPrediction(_ x: [Float], batch b: Int, timestep t: Float, tokens: [Int], nullTokens: [Int],
                                 guidance w: Float) -> [Float] {
        let c = model.config
        let shape = [b, c.frames, c.latentHeight, c.latentWidth, c.latentChannels]
        return withNoGrad {
            if w == 1 || !guidanceInterval.contains(t) {
                let text = textEncoder(tokens)
                return model(Tensor(shape: shape, data: x), timesteps: [Float](repeating: t, count: b),
                             text: text, textValid: textEncoder.validMask(tokens)).data
            }
            let ids = tokens + nullTokens
            var doubled = shape
            doubled[0] = 2 * b
            let out = model(Tensor(shape: doubled, data: x + x), timesteps: [Float](repeating: t, count: 2 * b),
                            text: textEncoder(ids), textValid: textEncoder.validMask(ids)).data
            let n = x.count
            var guided = [Float](repeating: 0, count: n)
            for i in 0..<n { guided[i] = out[n + i] + w * (out[i] - out[n + i]) }
            return guided
        }
    }

    /// Latents [B, T, H, W, C] (flat) for B captions, starting from seeded Gaussian noise.
    /// `progress` is called after each step with (step, steps).
    public func sample(tokens: [Int], nullTokens: [Int], seeds: [UInt64], steps: Int, guidance: Float,
                       progress: ((Int, Int) -> Void)? = nil) -> [Float] {
        let c = model.config, b = seeds.count
        precondition(tokens.count == b * textEncoder.length && nullTokens.count == tokens.count,
                     "sample: \(b) seeds but \(tokens.count) token ids")
        var x: [Float] = []
        x.reserveCapacity(b * c.latentCount)
        for s in seeds {
            var rng = SeededGenerator(seed: s, stream: "sample-noise")
            for _ in 0..<c.latentCount { x.append(rng.normal()) }
        }
        return denoise(x, from: 0, tokens: tokens, nullTokens: nullTokens, steps: steps, guidance: guidance,
                       seeds: seeds, progress: progress)
    }

    /// Runs sampler steps `first..<steps` of a `steps`-step trajectory on latents `x` that are at
    /// timestep `schedule.samplingTimesteps(steps:)[first]` (pure noise for `first` = 0; a noised clip
    /// for the "start from data" diagnostic). `seeds` (one per clip; default 0, 1, …) seed the fresh
    /// noise of a stochastic sampler (`eta` > 0).
    public func denoise(_ x: [Float], from first: Int, tokens: [Int], nullTokens: [Int], steps: Int, guidance: Float,
                        seeds: [UInt64]? = nil, progress: ((Int, Int) -> Void)? = nil) -> [Float] {
        var x = x
        let perClip = model.config.latentCount, b = x.count / perClip
        let times = schedule.samplingTimesteps(steps: steps)
        var noiseSources = (seeds ?? (0..<b).map(UInt64.init)).map { SeededGenerator(seed: $0, stream: "sample-churn") }
        precondition(noiseSources.count == b, "denoise: \(noiseSources.count) seeds for \(b) clips")
        for i in first..<steps {
            let v = guidedPrediction(x, batch: b, timestep: times[i], tokens: tokens, nullTokens: nullTokens, guidance: guidance)
            if eta == 0 {
                schedule.step(&x, prediction: v, index: i, steps: steps)
            } else {
                var z = [Float](repeating: 0, count: x.count)
                for clip in 0..<b { for j in 0..<perClip { z[clip * perClip + j] = noiseSources[clip].normal() } }
                schedule.stochasticStep(&x, prediction: v, index: i, steps: steps, eta: eta, noise: z)
            }
            progress?(i + 1, steps)
        }
        return x
    }
}
