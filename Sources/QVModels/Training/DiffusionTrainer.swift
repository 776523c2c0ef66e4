import QVTensor

/// Where training clips come from: encoded latents and caption token ids by index.
public protocol LatentClipSource {
    /// Number of examples.
    var count: Int { get }
    /// Clean latents (config.latentCount values) and caption ids (text length) of example `index`.
    func example(_ index: Int) -> (latents: [Float], tokens: [Int])
}

/// Settings of teacher training (DESIGN.md §3): AdamW (β 0.9/0.95), cosine schedule with warm-up,
/// clipping at 1.0, caption dropout (null caption) so that classifier-free guidance works.
public struct DiffusionTrainingSettings: Codable, Sendable, Hashable {
    public var steps: Int
    public var batch: Int
    public var learningRate: Float
    public var weightDecay: Float
    public var warmupFraction: Double
    public var captionDropout: Float
    public var clipNorm: Float
    public var seed: UInt64
    /// nil: the family's own timestep density (uniform t). A value s: timesteps at the SNRs of
    /// rectified flow's shifted-uniform σ (`NoiseSchedule.flowDensityTimestep`), for either family.
    public var timestepShift: Float?
    /// nil or 0: the plain MSE objective. λ > 0 adds λ·mean(σ_x₀(t)²·(Δ_frames error)²), the frame-to-frame
    /// change of the clean-data estimate's error (σ_x₀ = |∂x̂₀/∂prediction|: σ for the flow, √(1−ᾱ) for
    /// v-prediction). Motion is a small part of a clip's energy, so plain MSE learns it last; this term
    /// weights it without moving the optimum (`Tensor.temporalDifferenceMSE`). Not in DESIGN.md: a QVBench addition.
    public var motionLossWeight: Float?

    public init(steps: Int = 3000, batch: Int = 16, learningRate: Float = 1e-3, weightDecay: Float = 1e-4,
                warmupFraction: Double = 0.05, captionDropout: Float = 0.1, clipNorm: Float = 1, seed: UInt64 = 0,
                timestepShift: Float? = nil, motionLossWeight: Float? = nil) {
        self.steps = steps
        self.batch = batch
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.warmupFraction = warmupFraction
        self.captionDropout = captionDropout
        self.clipNorm = clipNorm
        self.seed = seed
        self.timestepShift = timestepShift
        self.motionLossWeight = motionLossWeight
    }

    /// The training timestep for a uniform u under these settings.
    public func trainingTimestep(_ u: Float, schedule: any NoiseSchedule) -> Float {
        guard let timestepShift else { return schedule.trainingTimestep(u) }
        return schedule.flowDensityTimestep(u, shift: timestepShift)
    }
}

/// One logged training step.
public struct TrainingStepLog: Sendable, Equatable {
    public var step: Int
    public var loss: Float
    public var gradientNorm: Float
    public var learningRate: Float
}

/// Trains a DiT and its text encoder with the family's diffusion objective.
///
/// Every random choice of step s (batch indices, caption dropout, timesteps, noise) comes from a
/// generator seeded by (seed, s), so a run resumed from a checkpoint at step s continues exactly as
/// the uninterrupted run would.
public final class DiffusionTrainer {
    public let model: VideoDiT
    public let textEncoder: TextEncoder
    public let settings: DiffusionTrainingSettings
    public let optimizer: AdamW
    public let schedule: any NoiseSchedule
    public let lrSchedule: CosineSchedule
    /// Caption ids used when a caption is dropped (the unconditional input of CFG).
    public let nullTokens: [Int]
    /// Next step to run (0-based).
    public var step = 0

    public init(model: VideoDiT, textEncoder: TextEncoder, nullTokens: [Int], settings: DiffusionTrainingSettings) {
        precondition(nullTokens.count == textEncoder.length, "null caption must have \(textEncoder.length) ids")
        self.model = model
        self.textEncoder = textEncoder
        self.settings = settings
        self.nullTokens = nullTokens
        schedule = model.config.schedule
        lrSchedule = CosineSchedule(totalSteps: settings.steps, warmupFraction: settings.warmupFraction)
        let params = model.namedParameters().map(\.1) + textEncoder.namedParameters().map(\.1)
        optimizer = AdamW(groups: [ParameterGroup(name: "all", parameters: params, learningRate: settings.learningRate,
                                                  weightDecay: settings.weightDecay)],
                          beta1: 0.9, beta2: 0.95)
    }

    /// Runs one step on `data`; throws if the loss or gradient is not finite (nothing is updated then).
    @discardableResult
    public func trainStep(on data: any LatentClipSource) throws -> TrainingStepLog {
        let c = model.config, b = settings.batch, l = textEncoder.length
        var rng = SeededGenerator(seed: settings.seed, stream: "train-step-\(step)")
        var x = [Float](repeating: 0, count: b * c.latentCount), target = x
        var ids: [Int] = [], times: [Float] = []
        for i in 0..<b {
            let ex = data.example(rng.nextInt(below: data.count))
            ids += rng.nextFloat() < settings.captionDropout ? nullTokens : ex.tokens
            let t = settings.trainingTimestep(rng.nextFloat(), schedule: schedule)
            times.append(t)
            for j in 0..<c.latentCount {
                (x[i * c.latentCount + j], target[i * c.latentCount + j]) = schedule.noise(ex.latents[j], rng.normal(), at: t)
            }
        }
        precondition(ids.count == b * l, "training data gave captions of the wrong length")
        let shape = [b, c.frames, c.latentHeight, c.latentWidth, c.latentChannels]
        let prediction = model(Tensor(shape: shape, data: x), timesteps: times, text: textEncoder(ids),
                               textValid: textEncoder.validMask(ids))
        let targetTensor = Tensor(shape: shape, data: target)
        var loss = Tensor.mseLoss(prediction, targetTensor)
        if let lambda = settings.motionLossWeight, lambda > 0 {
            let weights = times.map { t in
                let scale = schedule.predictedData(0, prediction: 1, at: t) - schedule.predictedData(0, prediction: 0, at: t)
                return lambda * scale * scale
            }
            loss = loss + Tensor.temporalDifferenceMSE(prediction, targetTensor, sampleWeights: weights)
        }
        loss.backward()
        let norm = clipGradientNorm(optimizer.parameters, maxNorm: settings.clipNorm)
        guard loss.item.isFinite, norm.isFinite else {
            optimizer.zeroGrad()
            throw TrainingError.nonFinite(step: step, loss: loss.item, gradientNorm: norm)
        }
        let factor = lrSchedule.factor(at: step)
        optimizer.update(lrScale: factor)
        optimizer.zeroGrad()
        defer { step += 1 }
        return TrainingStepLog(step: step, loss: loss.item, gradientNorm: norm, learningRate: settings.learningRate * factor)
    }
}

/// Training failures that stop a run.
public enum TrainingError: Error, CustomStringConvertible {
    case nonFinite(step: Int, loss: Float, gradientNorm: Float)

    public var description: String {
        switch self {
        case let .nonFinite(step, loss, norm):
            return "training diverged at step \(step): loss \(loss), gradient norm \(norm); lower the learning rate or resume from the last checkpoint"
        }
    }
}
