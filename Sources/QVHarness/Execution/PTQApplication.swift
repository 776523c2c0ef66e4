import Foundation
import QVData
import QVModels
import QVQuant
import QVTensor

/// The PTQ rows: calibration on training captions along the teacher's guided sampling trajectories,
/// then RTN, ViDiT-Q-style or SVDQuant-style quantization (DESIGN §6). Records the DiT's relative
/// output error against the teacher on points of the calibration trajectories.
struct PTQApplication {
    let configuration: CellConfiguration
    let knobs: MethodApplication

    var spec: QuantizationSpec {
        let group = knobs.int("group", 0)
        let g: Int? = group > 0 ? group : nil
        return QuantizationSpec(weight: WeightQuantSpec(bits: configuration.w, groupSize: g),
                                activation: ActivationQuantSpec(bits: configuration.a, groupSize: g))
    }

    func method(layers: Int) -> PTQMethod {
        switch configuration.method {
        case "vidit-q":
            return .viditq(ViDiTQOptions(hadamard: knobs.flag("hadamard", false),
                                         timestepAware: knobs.flag("timestep_aware", true),
                                         mixedPrecisionLayers: knobs.flag("mixed_precision", false) ? Swift.max(1, layers / 10) : 0))
        case "svdquant":
            return .svdquant(SVDQuantOptions(rank: knobs.int("rank", 32)))
        default:
            return .rtn
        }
    }

    func apply(to teacher: ReferenceModel, metrics: inout [String: Double], progress: (String) -> Void) throws -> ReferenceModel {
        let model = try teacher.copy()
        let training = configuration.training ?? TrainingSettings()
        let tokenizer = try CaptionTokenizer.matching(teacher.vocabulary, maxLength: teacher.config.textLength)
        let captions = try MotionShapesPrompts.trainingCaptions(count: training.calibrationPrompts, seed: 7)
        let tokens = try captions.map { try tokenizer.encode($0.render()).map(Int.init) }
        let seeds = (0..<tokens.count).map { UInt64(1000 + $0) }
        progress("calibrating on \(tokens.count) training captions")
        let (calibration, evaluation) = PostTrainingQuantization.calibrate(
            model: model, tokens: tokens, seeds: seeds, steps: configuration.evaluation?.steps ?? 25)
        let chosen = method(layers: model.dit.quantizableLinears.count)
        progress("quantizing (\(chosen.name))")
        _ = try PostTrainingQuantization.apply(chosen, to: model, spec: spec, calibration: calibration, evaluation: evaluation)
        metrics["ptq_relative_error"] = Calibration.relativeOutputError(model: model, at: evaluation.inputs,
                                                                        reference: evaluation.reference)
        return model
    }
}
