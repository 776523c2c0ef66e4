import QVTensor

/// One prompt of the evaluation suite with the seeds its samples use (VBench draws 5 per prompt).
public struct EvaluationPrompt: Sendable, Hashable {
    /// Stable identifier, "ms00" … "ms47".
    public var id: String
    public var caption: Caption
    public var seeds: [UInt64]
    public var text: String { caption.render() }
}

/// The fixed MotionShapes prompt sets: the evaluation suite (QVBench's "prompt suite") and training
/// captions that never repeat an evaluation caption exactly but use every word.
public enum MotionShapesPrompts {
    /// Seed of the evaluation suite; changing it changes every reported number.
    public static let evaluationSeed: UInt64 = 0x5EED_0E7A
    public static let evaluationPromptCount = 48
    public static let samplesPerPrompt = 5

    /// The 48 evaluation prompts, 5 seeds each. Built as two balanced halves of 24, so the first 24
    /// prompts alone also cover every colour, shape, motion and scene (a cheaper suite can take a
    /// prefix). 1 in 6 prompts has a second object, 1 in 8 a camera pan.
    public static let evaluationSuite: [EvaluationPrompt] = makeEvaluationSuite()

    /// The evaluation captions as a set (what training excludes).
    public static var evaluationCaptions: Set<Caption> { Set(evaluationSuite.map(\.caption)) }

    private static func makeEvaluationSuite() -> [EvaluationPrompt] {
        var g = SeededGenerator(seed: evaluationSeed, stream: "motionshapes.eval.captions")
        let sampler = BalancedCaptionSampler(secondObjectFraction: 1.0 / 6, panFraction: 1.0 / 8)
        var captions: [Caption] = []
        let half = evaluationPromptCount / 2
        while captions.count < evaluationPromptCount {
            // Cannot throw: the count is positive and the excluded set (previous half) is tiny.
            let drawn = (try? sampler.sample(count: half, generator: &g, excluding: Set(captions))) ?? []
            for c in drawn where !captions.contains(c) && captions.count < evaluationPromptCount {
                captions.append(c)
            }
        }
        return captions.enumerated().map { i, caption in
            var sg = SeededGenerator(seed: evaluationSeed, stream: "motionshapes.eval.seeds.\(i)")
            let id = i < 10 ? "ms0\(i)" : "ms\(i)"
            return EvaluationPrompt(id: id, caption: caption,
                                    seeds: (0..<samplesPerPrompt).map { _ in sg.next() })
        }
    }

    /// Share of training captions with a second object unless a recipe says otherwise.
    public static let defaultSecondObjectFraction = 0.25

    /// `count` training captions for a data-set seed: balanced attributes, a quarter (or
    /// `secondObjectFraction`) with a second object, a fifth with a camera pan, none equal to an
    /// evaluation caption, none a rotating circle.
    public static func trainingCaptions(count: Int, seed: UInt64, secondObjectFraction: Double = defaultSecondObjectFraction)
        throws(MotionShapesError) -> [Caption] {
        guard (0...1).contains(secondObjectFraction) else {
            throw .badArgument("second-object fraction must be in [0, 1], got \(secondObjectFraction)")
        }
        var g = SeededGenerator(seed: seed, stream: "motionshapes.train.captions")
        let sampler = BalancedCaptionSampler(secondObjectFraction: secondObjectFraction, panFraction: 0.2)
        return try sampler.sample(count: count, generator: &g, excluding: evaluationCaptions)
    }
}
