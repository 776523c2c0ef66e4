import QVModels
import QVTensor

/// EfficientDM (He et al., ICLR 2024) on video DiTs:
/// - frozen latent weights with a quantization-aware LoRA, Ŵ = Q(W + B·A) (A Kaiming-uniform, B zero,
///   rank `loraRank`), each layer's LoRA learning rate scaled by its mean weight step relative to the
///   model's mean step;
/// - temporal activation quantizers: learnable clipping per timestep group (adapted: the paper learns
///   per-step activation LSQ steps for static quantizers; our activations are dynamic per token, so
///   the timestep-specific learnable part is the clipping range);
/// - data-free distillation on states of the teacher's own sampling trajectories.
/// At the end LoRA is merged into the weight (W ← W + B·A): no inference overhead, same outputs.
public final class EfficientDMMethod: QATMethod {
    public let name = "efficientdm"
    public let inputSource = KDInputSource.teacherTrajectories
    public let loraRank: Int
    var layers: [(String, QuantizedLinear)] = []

    public init(loraRank: Int = 32) { self.loraRank = loraRank }

    public func prepare(student: ReferenceModel, spec: QuantizationSpec, settings: QATSettings,
                        context: QuantizationContext) throws -> [ParameterGroup] {
        var s = spec
        s.weight.learnScale = false
        s.weight.learnZero = false
        if var a = s.activation {
            a.learnClip = true
            a.timestepGroups = settings.timestepGroups
            s.activation = a
        }
        student.dit.setTrainable(false)
        layers = ModelQuantization.install(on: student.dit, spec: s, context: context)
        let meanSteps = layers.map { _, q in q.weightScale.data.reduce(0, +) / Float(q.weightScale.count) }
        let globalMean = meanSteps.reduce(0, +) / Float(Swift.max(meanSteps.count, 1))
        var groups: [ParameterGroup] = []
        for ((name, q), step) in zip(layers, meanSteps) {
            let r = Swift.min(loraRank, q.inFeatures, q.outFeatures)
            var rng = SeededGenerator(seed: settings.seed, stream: "lora-" + name)
            let bound = 1 / Float(q.inFeatures).squareRoot()
            let a = Tensor.uniform([r, q.inFeatures], -bound, bound, using: &rng, requiresGrad: true)
            let b = Tensor.zeros([q.outFeatures, r], requiresGrad: true)
            a.name = name + ".lora_a"; b.name = name + ".lora_b"
            q.lora = (a, b)
            groups.append(ParameterGroup(name: "lora:" + name, parameters: [a, b],
                                         learningRate: settings.loraLR * step / Swift.max(globalMean, 1e-12)))
        }
        return groups + quantizerGroups(layers, settings: settings)
    }

    /// Merges every LoRA into its layer's weight (the quantized outputs are unchanged).
    public func finish(student: ReferenceModel, optimizer: AdamW) throws {
        for (name, q) in layers {
            guard let lora = q.lora, let base = student.dit.namedLinears().first(where: { $0.0 == name })?.1 else { continue }
            let merged = withNoGrad { (q.foldedWeight ?? base.weight) + lora.b.matmul(lora.a) }
            if q.foldedWeight != nil { q.foldedWeight = merged } else { base.weight.data = merged.data }
            optimizer.remove(lora.a)
            optimizer.remove(lora.b)
            q.lora = nil
        }
    }
}
