import QVModels
import QVTensor

/// LSQ (Esser et al.): learnable per-channel weight steps (gradient scale 1/√(N·P)), latent weights
/// trained, dynamic per-token activations (DESIGN.md §7).
public final class LSQMethod: QATMethod {
    public let name = "lsq"
    public init() {}

    public func prepare(student: ReferenceModel, spec: QuantizationSpec, settings: QATSettings,
                        context: QuantizationContext) throws -> [ParameterGroup] {
        var s = spec
        s.weight.learnScale = true
        s.weight.learnZero = false
        let layers = ModelQuantization.install(on: student.dit, spec: s, context: context)
        return [ParameterGroup(name: "weights", parameters: latentParameters(of: student.dit), learningRate: settings.weightLR)]
            + quantizerGroups(layers, settings: settings)
    }
}
