import Foundation
import QVModels
import QVTensor

/// A minimal end-to-end run: an `xs` Wan-like DiT learns, with the flow-matching objective, latent
/// clips of a bright blob moving in one of four directions named by a one-word caption.
/// It exercises the whole training stack (model, autodiff, AdamW, schedule, clipping) in seconds.
public struct TrainingDemo {
    public var steps: Int
    public var seed: UInt64
    public var batch = 8

    public init(steps: Int, seed: UInt64) {
        self.steps = steps
        self.seed = seed
    }

    public func run(log: (String) -> Void) throws {
        let config = try DiTConfig.preset("wan-xs", vocabularySize: 4, textLength: 1)
        let model = VideoDiT(config, seed: seed)
        let words = TextEncoder(vocabularySize: 4, length: 1, dim: config.textDim, padID: -1, seed: seed)
        let schedule = FlowMatchingSchedule()
        let params = model.namedParameters().map(\.1) + words.namedParameters().map(\.1)
        let optimizer = AdamW(groups: [ParameterGroup(name: "all", parameters: params, learningRate: 1e-3, weightDecay: 1e-4)],
                              beta1: 0.9, beta2: 0.95)
        let lr = CosineSchedule(totalSteps: steps)
        var rng = SeededGenerator(seed: seed, stream: "demo-data")
        log("demo: \(config.name), \(model.parameterCount) parameters, \(steps) steps, batch \(batch)")
        let t0 = Stopwatch.now()
        var window: [Float] = []
        for step in 0..<steps {
            let directions = (0..<batch).map { _ in rng.nextInt(below: 4) }
            let x0 = directions.flatMap { blobClip(config, direction: $0, rng: &rng) }
            var xt = [Float](repeating: 0, count: x0.count), target = xt
            var times: [Float] = []
            for b in 0..<batch {
                let t = schedule.trainingTimestep(rng.nextFloat())
                times.append(t)
                for i in 0..<config.latentCount {
                    let j = b * config.latentCount + i
                    (xt[j], target[j]) = schedule.noise(x0[j], rng.normal(), at: t)
                }
            }
            let shape = [batch, config.frames, config.latentHeight, config.latentWidth, config.latentChannels]
            let prediction = model(Tensor(shape: shape, data: xt), timesteps: times, text: words(directions),
                                   textValid: [Bool](repeating: true, count: batch))
            let loss = Tensor.mseLoss(prediction, Tensor(shape: shape, data: target))
            loss.backward()
            clipGradientNorm(params, maxNorm: 1)
            optimizer.update(lrScale: lr.factor(at: step))
            optimizer.zeroGrad()
            window.append(loss.item)
            if (step + 1) % 25 == 0 || step + 1 == steps {
                let mean = window.reduce(0, +) / Float(window.count)
                window.removeAll()
                log(String(format: "step %4d/%d  loss %.4f  %.1f steps/s", step + 1, steps, mean,
                           Double(step + 1) / (Stopwatch.now() - t0)))
            }
        }
    }

    /// Latents of a Gaussian blob (channel 0) moving one cell per frame in a compass direction.
    func blobClip(_ c: DiTConfig, direction: Int, rng: inout SeededGenerator) -> [Float] {
        let (dx, dy): (Float, Float) = [(1, 0), (-1, 0), (0, 1), (0, -1)][direction]
        let x0 = rng.uniform(2, Float(c.latentWidth) - 2) - dx * 2, y0 = rng.uniform(2, Float(c.latentHeight) - 2) - dy * 2
        var out = [Float](repeating: -0.5, count: c.latentCount)
        for t in 0..<c.frames {
            let cx = x0 + dx * Float(t) * 0.5, cy = y0 + dy * Float(t) * 0.5
            for y in 0..<c.latentHeight { for x in 0..<c.latentWidth {
                let d2 = (Float(x) - cx) * (Float(x) - cx) + (Float(y) - cy) * (Float(y) - cy)
                let base = ((t * c.latentHeight + y) * c.latentWidth + x) * c.latentChannels
                out[base] = 2 * Foundation.exp(-d2 / 2) - 0.5
            } }
        }
        return out
    }
}
