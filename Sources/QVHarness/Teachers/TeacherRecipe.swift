import QVModels

/// Everything that determines a trained teacher: model preset, data, optimisation and seeds.
/// Its JSON is stored in checkpoints; a resumed run must have the identical recipe.
public struct TeacherRecipe: Codable, Sendable, Hashable {
    public var model: String
    public var steps: Int
    public var batch: Int
    public var learningRate: Float
    public var captionDropout: Float
    /// Number of MotionShapes training clips and the data-set seed.
    public var trainClips: Int
    public var dataSeed: UInt64
    /// Clips (the first of the training set) the latent codec's PCA is fitted on.
    public var codecClips: Int
    /// Model initialisation and per-step randomness.
    public var seed: UInt64
    /// Steps between resumable checkpoints.
    public var checkpointEvery: Int
    /// Continue from this teacher's weights and codec (fine-tuning with a fresh schedule), identified
    /// by the checkpoint's SHA-256 so the recipe pins exactly which weights it started from.
    public var initFrom: String?
    public var initHash: String?
    /// Train at the SNRs of rectified flow's σ shifted by this (see `DiffusionTrainingSettings`);
    /// nil, the shipped recipes' setting, keeps the family's own density and the recipe JSON unchanged.
    public var timestepShift: Float?
    /// Weight of the motion term of the objective (`DiffusionTrainingSettings.motionLossWeight`); nil,
    /// the shipped recipes' setting, trains on plain MSE and keeps the recipe JSON unchanged.
    public var motionLossWeight: Float?
    /// Blocks of the DiT instead of the preset's (with `initFrom` a shallower teacher, it is grown:
    /// `VideoDiT.grow`); nil, the shipped recipes' setting, keeps the preset and the recipe JSON unchanged.
    public var depth: Int?
    /// Fraction of training captions with a second object instead of MotionShapes' quarter; nil, the
    /// shipped recipes' setting, keeps the data and the recipe JSON unchanged.
    public var secondObjectFraction: Double?

    public init(model: String, steps: Int, batch: Int = 16, learningRate: Float = 1e-3, captionDropout: Float = 0.1,
                trainClips: Int = 6000, dataSeed: UInt64 = 1, codecClips: Int = 512, seed: UInt64 = 0,
                checkpointEvery: Int = 200, initFrom: String? = nil, initHash: String? = nil) {
        self.model = model
        self.steps = steps
        self.batch = batch
        self.learningRate = learningRate
        self.captionDropout = captionDropout
        self.trainClips = trainClips
        self.dataSeed = dataSeed
        self.codecClips = codecClips
        self.seed = seed
        self.checkpointEvery = checkpointEvery
        self.initFrom = initFrom
        self.initHash = initHash
    }

    /// The shipped teachers' recipes (fixtures/README.md lists the commands that produced them).
    public static func standard(for model: String) -> TeacherRecipe {
        let size = model.split(separator: "-").last.map(String.init) ?? "s"
        switch size {
        case "xs": return TeacherRecipe(model: model, steps: 1500, batch: 16, learningRate: 2e-3)
        case "s": return TeacherRecipe(model: model, steps: 3000, batch: 16, learningRate: 1e-3)
        case "m": return TeacherRecipe(model: model, steps: 4000, batch: 16, learningRate: 7e-4)
        default: return TeacherRecipe(model: model, steps: 5000, batch: 16, learningRate: 5e-4)
        }
    }

    var trainingSettings: DiffusionTrainingSettings {
        DiffusionTrainingSettings(steps: steps, batch: batch, learningRate: learningRate, weightDecay: 1e-4,
                                  warmupFraction: 0.05, captionDropout: captionDropout, clipNorm: 1, seed: seed,
                                  timestepShift: timestepShift, motionLossWeight: motionLossWeight)
    }
}
