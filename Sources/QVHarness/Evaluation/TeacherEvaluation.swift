import Foundation
import QVData
import QVMedia
import QVModels
import QVTensor

/// `qvbench teacher eval`: caption following of a model's samples on the evaluation prompts, next to
/// the same measurement on the rendered ground truth of those prompts and on training clips.
public struct TeacherEvaluation {
    public var prompts: Int
    public var samples: Int
    public var steps: Int
    /// Guidance weight of the samples (nil: the family's default).
    public var guidance: Float?
    /// Timesteps at which guidance applies (nil: the family's default).
    public var guidanceInterval: GuidanceInterval?
    /// Stochasticity of the sampler's steps (DDIM's η).
    public var eta: Float
    /// Timestep (0…1000) the one-step denoising check noises the ground truth to.
    public var denoiseTimestep: Float
    /// When set, also sample from the ground truth noised to the sampler's step at or after this
    /// timestep (the rest of the usual trajectory, with CFG): where along the trajectory motion is lost.
    public var sampleFromData: Float?
    /// When set, also generate from as many training captions as there are evaluation requests: the
    /// first captions of the training set of this many clips (data seed 1), i.e. captions a teacher
    /// trained on that set has seen. Tells a failure to generalise to new captions from a failure to generate.
    public var trainingCaptionPool: Int?

    public init(prompts: Int = 48, samples: Int = 2, steps: Int = 50, guidance: Float? = nil,
                guidanceInterval: GuidanceInterval? = nil, eta: Float = 0, denoiseTimestep: Float = 500,
                sampleFromData: Float? = nil, trainingCaptionPool: Int? = nil) {
        self.prompts = prompts
        self.samples = samples
        self.steps = steps
        self.guidance = guidance
        self.guidanceInterval = guidanceInterval
        self.eta = eta
        self.denoiseTimestep = denoiseTimestep
        self.sampleFromData = sampleFromData
        self.trainingCaptionPool = trainingCaptionPool
    }

    public struct Result: Sendable {
        public var generated: CaptionFollowing
        /// The generated clips, in request order (for sheets of the misses).
        public var clips: [VideoClip]
        /// The generated clips played backwards: a control of the direction measurements, which must
        /// then miss (read the opposite direction) wherever they hit forwards.
        public var generatedReversed: CaptionFollowing
        public var evaluationData: CaptionFollowing
        public var trainingData: CaptionFollowing
        /// Sampling the rest of the trajectory from the ground truth noised to `sampleFromData`.
        public var sampledFromData: CaptionFollowing?
        /// Samples generated from training captions (`trainingCaptionPool`).
        public var generatedOnTrainingCaptions: CaptionFollowing?
        /// One-step denoising of the evaluation ground truth noised to `denoiseTimestep` (no sampling loop): tells
        /// whether the model keeps motion it is shown, separating denoising from sampling failures.
        public var denoisedAtHalf: CaptionFollowing
        /// The guidance the samples were drawn with ("CFG 6.0 at t >= 700"), defaults resolved.
        public var guidance: String
        public var seconds: Double
    }

    /// The evaluation requests: the first `prompts` prompts × their first `samples` seeds.
    public func requests() -> [(GenerationRequest, Caption)] {
        MotionShapesPrompts.evaluationSuite.prefix(prompts).flatMap { p in
            p.seeds.prefix(samples).map { (GenerationRequest(caption: p.text, seed: $0), p.caption) }
        }
    }

    /// Requests for the first prompts × samples captions of the `pool`-clip training set (data seed 1),
    /// seeded 0, 1, 2, …
    public func trainingRequests(pool: Int) throws -> [(GenerationRequest, Caption)] {
        let captions = try MotionShapesPrompts.trainingCaptions(count: pool, seed: 1).prefix(prompts * samples)
        return captions.enumerated().map { i, caption in (GenerationRequest(caption: caption.render(), seed: UInt64(i)), caption) }
    }

    public func run(model: ReferenceModel, progress: ProgressLine? = nil) throws -> Result {
        let t0 = Stopwatch.now()
        let classifier = try motionShapesSceneClassifier()
        let reqs = requests()
        let generator = try ClipGenerator(model: model, steps: steps, guidance: guidance, guidanceInterval: guidanceInterval, eta: eta)
        let clips = try generator.generate(reqs.map(\.0)) { done, _ in progress?.update(done) }
        let items = zip(clips, reqs.map(\.1)).map { (clip: $0.0, caption: $0.1) }
        let generated = try CaptionFollowing.measure(items, sceneClassifier: classifier)
        let reversed = try CaptionFollowing.measure(items.map {
            (clip: $0.clip.selecting(frames: Array((0..<$0.clip.frameCount).reversed())), caption: $0.caption)
        }, sceneClassifier: classifier)
        let eval = try MotionShapesDataset.evaluation(promptCount: prompts, samplesPerPrompt: samples)
        let evalData = try CaptionFollowing.measure(try eval.captionedClips(), sceneClassifier: classifier)
        let train = try MotionShapesDataset.training(count: prompts * samples, seed: 1)
        let trainData = try CaptionFollowing.measure(try train.captionedClips(), sceneClassifier: classifier)
        let denoised = try CaptionFollowing.measure(try oneStepDenoised(model: model, eval: eval), sceneClassifier: classifier)
        let fromData = try sampleFromData.map {
            try CaptionFollowing.measure(try sampledFromNoisedData(generator: generator, eval: eval, timestep: $0),
                                         sceneClassifier: classifier)
        }
        let onTraining = try trainingCaptionPool.map { pool in
            let requests = try trainingRequests(pool: pool)
            let clips = try generator.generate(requests.map(\.0)) { _, _ in }
            return try CaptionFollowing.measure(Array(zip(clips, requests.map(\.1))).map { (clip: $0.0, caption: $0.1) },
                                                sceneClassifier: classifier)
        }
        return Result(generated: generated, clips: clips, generatedReversed: reversed, evaluationData: evalData,
                      trainingData: trainData, sampledFromData: fromData, generatedOnTrainingCaptions: onTraining, denoisedAtHalf: denoised,
                      guidance: generator.guidanceLabel, seconds: Stopwatch.now() - t0)
    }

    /// The first sampling step at or below timestep `t` (so the run skips the noisier part).
    func firstStep(atOrBelow t: Float, schedule: any NoiseSchedule) -> (index: Int, timestep: Float) {
        let times = schedule.samplingTimesteps(steps: steps)
        let index = times.firstIndex { $0 <= t } ?? (times.count - 1)
        return (index, times[index])
    }

    /// Ground-truth evaluation clips noised to the sampler's timestep nearest below `timestep`, then
    /// sampled for the remaining steps with the generator's guidance.
    func sampledFromNoisedData(generator: ClipGenerator, eval: MotionShapesDataset, timestep: Float) throws -> [(clip: VideoClip, caption: Caption)] {
        let model = generator.model, sampler = generator.sampler
        let (first, t) = firstStep(atOrBelow: timestep, schedule: model.config.schedule)
        return try noisedEvaluationClips(model: model, eval: eval, timestep: t, seed: 501, stream: "sample-from-data") { xt, ids in
            sampler.denoise(xt, from: first, tokens: ids, nullTokens: model.nullTokens(), steps: steps, guidance: generator.guidance)
        }
    }

    /// Ground-truth evaluation clips noised to `denoiseTimestep` and denoised in one conditional prediction.
    func oneStepDenoised(model: ReferenceModel, eval: MotionShapesDataset) throws -> [(clip: VideoClip, caption: Caption)] {
        let schedule = model.config.schedule, t = denoiseTimestep
        return try noisedEvaluationClips(model: model, eval: eval, timestep: t, seed: 500, stream: "denoise-check") { xt, ids in
            let v = model.sampler.guidedPrediction(xt, batch: 1, timestep: t, tokens: ids, nullTokens: model.nullTokens(), guidance: 1)
            return zip(xt, v).map { schedule.predictedData($0, prediction: $1, at: t) }
        }
    }

    /// Encodes each evaluation clip, noises it to `timestep` (seeded per clip), hands the noisy
    /// latents and caption ids to `restore`, and decodes what it returns.
    func noisedEvaluationClips(model: ReferenceModel, eval: MotionShapesDataset, timestep t: Float, seed: UInt64, stream: String,
                               restore: (_ noisy: [Float], _ ids: [Int]) -> [Float]) throws -> [(clip: VideoClip, caption: Caption)] {
        let c = model.config, schedule = c.schedule
        let tokenizer = try CaptionTokenizer.matching(model.vocabulary, maxLength: c.textLength)
        return try (0..<eval.count).map { i in
            let ex = try eval.example(i)
            var rng = SeededGenerator(seed: seed, stream: "\(stream)-\(i)")
            let x0 = model.codec.encode(ex.clip.pixels, frames: c.frames, height: c.frameHeight, width: c.frameWidth)
            let xt = x0.map { schedule.noise($0, rng.normal(), at: t).xt }
            let pixels = model.decode(restore(xt, try tokenizer.encode(ex.text).map(Int.init)), clips: 1)[0]
            return (clip: VideoClip(frameCount: c.frames, height: c.frameHeight, width: c.frameWidth, fps: 8, pixels: pixels),
                    caption: ex.caption)
        }
    }
}
