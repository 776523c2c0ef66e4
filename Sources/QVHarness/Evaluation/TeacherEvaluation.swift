import Foundation
import QVData
import QVMedia
import QVModels

/// `qvbench teacher eval`: caption following of a model's samples on the evaluation prompts, next to
/// the same measurement on the rendered ground truth of those prompts and on training clips.
public struct TeacherEvaluation {
    public var prompts: Int
    public var samples: Int
    public var steps: Int

    public init(prompts: Int = 48, samples: Int = 2, steps: Int = 50) {
        self.prompts = prompts
        self.samples = samples
        self.steps = steps
    }

    public struct Result: Sendable {
        public var generated: CaptionFollowing
        public var evaluationData: CaptionFollowing
        public var trainingData: CaptionFollowing
        public var seconds: Double
    }

    /// The evaluation requests: the first `prompts` prompts × their first `samples` seeds.
    public func requests() -> [(GenerationRequest, Caption)] {
        MotionShapesPrompts.evaluationSuite.prefix(prompts).flatMap { p in
            p.seeds.prefix(samples).map { (GenerationRequest(caption: p.text, seed: $0), p.caption) }
        }
    }

    public func run(model: ReferenceModel, progress: ProgressLine? = nil) throws -> Result {
        let t0 = Stopwatch.now()
        let classifier = try motionShapesSceneClassifier()
        let reqs = requests()
        let generator = try ClipGenerator(model: model, steps: steps)
        let clips = try generator.generate(reqs.map(\.0)) { done, _ in progress?.update(done) }
        let generated = try CaptionFollowing.measure(Array(zip(clips, reqs.map(\.1))).map { (clip: $0.0, caption: $0.1) },
                                                     sceneClassifier: classifier)
        let eval = try MotionShapesDataset.evaluation(promptCount: prompts, samplesPerPrompt: samples)
        let evalData = try CaptionFollowing.measure((0..<eval.count).map { i in
            let ex = try eval.example(i); return (clip: ex.clip, caption: ex.caption)
        }, sceneClassifier: classifier)
        let train = try MotionShapesDataset.training(count: prompts * samples, seed: 1)
        let trainData = try CaptionFollowing.measure((0..<train.count).map { i in
            let ex = try train.example(i); return (clip: ex.clip, caption: ex.caption)
        }, sceneClassifier: classifier)
        return Result(generated: generated, evaluationData: evalData, trainingData: trainData, seconds: Stopwatch.now() - t0)
    }
}
