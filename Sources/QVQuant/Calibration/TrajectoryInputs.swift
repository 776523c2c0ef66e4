import QVModels
import QVTensor

/// One DiT evaluation point on a sampling trajectory: noisy latents, timestep and caption ids
/// (conditional; the unconditional twin uses the null caption).
public struct DiTInput: Sendable {
    public var latents: [Float]
    public var timestep: Float
    public var tokens: [Int]
}

extension Calibration {
    /// Points along the full-precision teacher's guided sampling trajectories for the given captions,
    /// every `stride` steps. These are the "calibration inputs" output errors are measured on.
    public static func trajectoryInputs(model: ReferenceModel, tokens: [[Int]], seeds: [UInt64], steps: Int,
                                        stride: Int = 5, guidance: Float? = nil) -> [DiTInput] {
        let sampler = model.sampler, schedule = sampler.schedule
        let times = schedule.samplingTimesteps(steps: steps)
        var out: [DiTInput] = []
        for (ids, seed) in zip(tokens, seeds) {
            var rng = SeededGenerator(seed: seed, stream: "sample-noise")
            var x = (0..<model.config.latentCount).map { _ in rng.normal() }
            for (i, t) in times.enumerated() {
                if i % stride == 0 { out.append(DiTInput(latents: x, timestep: t, tokens: ids)) }
                let v = sampler.guidedPrediction(x, batch: 1, timestep: t, tokens: ids, nullTokens: model.nullTokens(),
                                                 guidance: guidance ?? model.config.defaultGuidance)
                schedule.step(&x, prediction: v, index: i, steps: steps)
            }
        }
        return out
    }

    /// The model's conditional predictions at the given points (batched, no gradients).
    public static func predictions(model: ReferenceModel, at inputs: [DiTInput], batch: Int = 8) -> [[Float]] {
        let c = model.config
        var out: [[Float]] = []
        for start in stride(from: 0, to: inputs.count, by: batch) {
            let chunk = Array(inputs[start..<Swift.min(start + batch, inputs.count)])
            let ids = chunk.flatMap(\.tokens)
            let y = withNoGrad {
                model.dit(Tensor(shape: [chunk.count, c.frames, c.latentHeight, c.latentWidth, c.latentChannels],
                                 data: chunk.flatMap(\.latents)),
                          timesteps: chunk.map(\.timestep), text: model.textEncoder(ids),
                          textValid: model.textEncoder.validMask(ids)).data
            }
            for i in 0..<chunk.count { out.append(Array(y[(i * c.latentCount)..<((i + 1) * c.latentCount)])) }
        }
        return out
    }

    /// Σ‖ŷ − y‖² / Σ‖y‖² of the model's current predictions against reference predictions.
    public static func relativeOutputError(model: ReferenceModel, at inputs: [DiTInput], reference: [[Float]]) -> Double {
        let current = predictions(model: model, at: inputs)
        var num = 0.0, den = 0.0
        for (a, b) in zip(current, reference) {
            for (u, v) in zip(a, b) { num += Double(u - v) * Double(u - v); den += Double(v) * Double(v) }
        }
        return num / Swift.max(den, 1e-30)
    }
}
