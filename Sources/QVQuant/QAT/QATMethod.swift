import QVModels
import QVTensor

/// Where a KD step's inputs come from.
public enum KDInputSource: Sendable {
    /// Training latents noised at uniformly sampled timesteps (QVGen's setup, shared by LSQ/Q-DM/QVGen).
    case noisedData
    /// States of the full-precision teacher's own sampling trajectories (EfficientDM: data-free).
    case teacherTrajectories
}

/// A quantization-aware training method: what it installs in the student, which parameters it
/// trains, what it does between steps and how it finishes (DESIGN.md §7).
public protocol QATMethod: AnyObject {
    var name: String { get }
    var inputSource: KDInputSource { get }
    /// Installs quantizers (and branches) into the student and returns its parameter groups.
    func prepare(student: ReferenceModel, spec: QuantizationSpec, settings: QATSettings,
                 context: QuantizationContext) throws -> [ParameterGroup]
    /// Called before step `step` (0-based) with the optimiser (e.g. QVGen's rank-decay).
    func willRunStep(_ step: Int, optimizer: AdamW) throws
    /// An extra loss term for this step (Q-DM's noise-estimating mimicking), or nil.
    func extraLoss(student: ReferenceModel, trajectory: TrajectoryBatch?) -> Tensor?
    /// Values to log for this step (QVGen: rank, γ).
    func diagnostics(at step: Int) -> [String: Double]
    /// Makes the student deployable (merge LoRA, delete Φ); called once after the last step.
    func finish(student: ReferenceModel, optimizer: AdamW) throws
}

extension QATMethod {
    public var inputSource: KDInputSource { .noisedData }
    public func willRunStep(_ step: Int, optimizer: AdamW) throws {}
    public func extraLoss(student: ReferenceModel, trajectory: TrajectoryBatch?) -> Tensor? { nil }
    public func diagnostics(at step: Int) -> [String: Double] { [:] }
    public func finish(student: ReferenceModel, optimizer: AdamW) throws {}
}

/// The student's DiT parameters that are not quantizer state: latent weights, biases, norms, the
/// full-precision patch embedding (trained by LSQ, Q-DM and QVGen; frozen by EfficientDM).
func latentParameters(of model: VideoDiT) -> [Tensor] { model.namedBaseParameters().map(\.1) }

/// Groups of quantizer tensors of the installed layers.
func quantizerGroups(_ layers: [(String, QuantizedLinear)], settings: QATSettings) -> [ParameterGroup] {
    let steps = layers.flatMap { _, q in [q.weightScale, q.weightZero].filter(\.requiresGrad) }
    let clips = layers.compactMap { $0.1.clipLogits }
    return [ParameterGroup(name: "quantizer", parameters: steps, learningRate: settings.quantizerLR),
            ParameterGroup(name: "act_clip", parameters: clips, learningRate: settings.weightLR * settings.clipLRMultiplier)]
}
