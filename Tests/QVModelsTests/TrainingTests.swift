import Testing
@testable import QVModels
@testable import QVTensor

/// One fixed clip with one caption.
struct SingleClip: LatentClipSource {
    let latents: [Float], tokens: [Int]
    var count: Int { 1 }
    func example(_ index: Int) -> (latents: [Float], tokens: [Int]) { (latents, tokens) }
}

@Suite struct TrainingTests {
    @Test(arguments: ModelFamily.allCases)
    func tinyModelOverfitsOneClip(family: ModelFamily) throws {
        let c = try tinyConfig(family)
        var rng = SeededGenerator(seed: 11)
        let clip = SingleClip(latents: (0..<c.latentCount).map { _ in rng.normal() }, tokens: [3, 4, 0, 0])
        let model = VideoDiT(c, seed: 12)
        let encoder = TextEncoder(vocabularySize: 10, length: 4, dim: c.textDim, seed: 13)
        // Fixed timestep range is not needed: the model must learn the clip at every noise level.
        let trainer = DiffusionTrainer(model: model, textEncoder: encoder, nullTokens: [1, 0, 0, 0],
                                       settings: DiffusionTrainingSettings(steps: 300, batch: 8, learningRate: 3e-3,
                                                                           captionDropout: 0, seed: 14))
        var first: [Float] = [], last: [Float] = []
        for s in 0..<300 {
            let log = try trainer.trainStep(on: clip)
            if s < 20 { first.append(log.loss) }
            if s >= 280 { last.append(log.loss) }
        }
        let before = first.reduce(0, +) / 20, after = last.reduce(0, +) / 20
        #expect(after * 10 <= before, "loss \(before) → \(after) did not fall 10×")
    }

    @Test(arguments: ModelFamily.allCases)
    func motionTermAddsTheFrameDifferenceErrorOfTheDataEstimate(family: ModelFamily) throws {
        let c = try tinyConfig(family)
        var rng = SeededGenerator(seed: 15)
        let clip = SingleClip(latents: (0..<c.latentCount).map { _ in rng.normal() }, tokens: [3, 4, 0, 0])
        func firstLoss(_ weight: Float?) throws -> Float {
            let trainer = DiffusionTrainer(model: VideoDiT(c, seed: 16), textEncoder: TextEncoder(vocabularySize: 10, length: 4, dim: c.textDim, seed: 17),
                                           nullTokens: [1, 0, 0, 0],
                                           settings: DiffusionTrainingSettings(steps: 2, batch: 4, seed: 18, motionLossWeight: weight))
            return try trainer.trainStep(on: clip).loss
        }
        let plain = try firstLoss(nil)
        #expect(try firstLoss(0) == plain)
        let one = try firstLoss(1), three = try firstLoss(3)
        #expect(one > plain)
        // The term is linear in its weight: same batch, noise and model, so (3) − plain = 3·((1) − plain).
        #expect(Swift.abs((three - plain) - 3 * (one - plain)) <= 1e-4 * three)
    }

    @Test func resumedTrainingMatchesUninterrupted() throws {
        ComputeThreads.setBLAS(1)  // bit-exact comparisons need a fixed BLAS thread count
        let c = try tinyConfig(.wan)
        var rng = SeededGenerator(seed: 21)
        let clip = SingleClip(latents: (0..<c.latentCount).map { _ in rng.normal() }, tokens: [3, 0, 0, 0])
        let settings = DiffusionTrainingSettings(steps: 6, batch: 2, learningRate: 1e-3, seed: 22)
        func fresh() -> DiffusionTrainer {
            DiffusionTrainer(model: VideoDiT(c, seed: 23), textEncoder: TextEncoder(vocabularySize: 10, length: 4, dim: c.textDim, seed: 24),
                             nullTokens: [1, 0, 0, 0], settings: settings)
        }
        let straight = fresh()
        for _ in 0..<6 { try straight.trainStep(on: clip) }
        // Interrupted after 3 steps: copy parameters and optimizer state into a new trainer.
        let first = fresh()
        for _ in 0..<3 { try first.trainStep(on: clip) }
        let resumed = fresh()
        for ((_, a), (_, b)) in zip(first.model.namedParameters() + first.textEncoder.namedParameters(),
                                    resumed.model.namedParameters() + resumed.textEncoder.namedParameters()) { b.data = a.data }
        try resumed.optimizer.load(stateDict: first.optimizer.stateDict())
        resumed.step = 3
        for _ in 0..<3 { try resumed.trainStep(on: clip) }
        for ((name, a), (_, b)) in zip(straight.model.namedParameters(), resumed.model.namedParameters()) {
            #expect(a.data == b.data, "\(name) differs after resume")
        }
    }

    @Test func nonFiniteLossStopsWithoutUpdating() throws {
        let c = try tinyConfig(.wan)
        let clip = SingleClip(latents: [Float](repeating: .nan, count: c.latentCount), tokens: [3, 0, 0, 0])
        let trainer = DiffusionTrainer(model: VideoDiT(c, seed: 31), textEncoder: TextEncoder(vocabularySize: 10, length: 4, dim: c.textDim, seed: 32),
                                       nullTokens: [1, 0, 0, 0], settings: DiffusionTrainingSettings(steps: 2, batch: 1, seed: 33))
        let before = trainer.model.namedParameters().map(\.1.data)
        #expect(throws: TrainingError.self) { try trainer.trainStep(on: clip) }
        #expect(trainer.model.namedParameters().map(\.1.data) == before)
    }
}
