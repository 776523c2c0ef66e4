import QVModels
import QVTensor

/// Q-DM (Li et al., NeurIPS 2023) adapted to video DiTs with dynamic per-token activations:
/// - Timestep-aware quantization (TaQ): each layer's input is standardised per channel with the
///   mean/std of the current batch — which mixes timesteps — before the per-token quantizer and
///   restored after, x̂ = Q((x − μ)/σ)·σ + μ; running (EMA) statistics replace the batch ones at
///   inference. This is what damps the cross-timestep oscillation of activation ranges that TaQ
///   targets. (Adapted: the paper applies it with static LSQ activation quantizers in U-Nets.)
/// - Noise-estimating mimicking (NeM): besides the KD loss on noised data, the student's prediction
///   on states of the teacher's own sampling trajectories is pulled towards the teacher's, so the
///   error it accumulates along the trajectory is trained away. (Adapted: the paper mimics the
///   FP model's noise estimate on its trajectory; here both terms are MSEs of the family's target.)
/// Weights use LSQ quantizers as in `LSQMethod`.
public final class QDMMethod: QATMethod {
    public let name = "q-dm"
    public let mimickingWeight: Float
    var teacher: ReferenceModel?
    var layers: [(String, QuantizedLinear)] = []

    public init(mimickingWeight: Float = 1) { self.mimickingWeight = mimickingWeight }

    public func prepare(student: ReferenceModel, spec: QuantizationSpec, settings: QATSettings,
                        context: QuantizationContext) throws -> [ParameterGroup] {
        var s = spec
        s.weight.learnScale = true
        layers = ModelQuantization.install(on: student.dit, spec: s, context: context)
        for (_, q) in layers { q.timestepAwareNorm = TimestepAwareNorm(features: q.inFeatures) }
        return [ParameterGroup(name: "weights", parameters: latentParameters(of: student.dit), learningRate: settings.weightLR)]
            + quantizerGroups(layers, settings: settings)
    }

    /// The teacher whose trajectory predictions NeM mimics (set by the trainer factory).
    public func attach(teacher: ReferenceModel) { self.teacher = teacher }

    public func extraLoss(student: ReferenceModel, trajectory: TrajectoryBatch?) -> Tensor? {
        guard let teacher, let batch = trajectory, mimickingWeight > 0 else { return nil }
        let c = student.config, states = batch.states
        let ids = states.flatMap(\.tokens), t = states.map(\.timestep)
        let shape = [states.count, c.frames, c.latentHeight, c.latentWidth, c.latentChannels]
        let x = Tensor(shape: shape, data: states.flatMap(\.latents))
        let (text, valid) = withNoGrad { (teacher.textEncoder(ids), teacher.textEncoder.validMask(ids)) }
        let target = withNoGrad { teacher.dit(x, timesteps: t, text: text, textValid: valid) }
        return Tensor.mseLoss(student.dit(x, timesteps: t, text: text, textValid: valid), target) * mimickingWeight
    }

    public func finish(student: ReferenceModel, optimizer: AdamW) throws {
        for (_, q) in layers { q.timestepAwareNorm?.freeze() }
    }
}
