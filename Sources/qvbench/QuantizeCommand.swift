import ArgumentParser
import Foundation
import QVData
import QVHarness
import QVModels
import QVQuant

/// `qvbench quantize`: post-training quantization of a teacher into a reloadable checkpoint.
struct Quantize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "PTQ (rtn, vidit-q, svdquant) of a teacher, calibrated on training captions; writes a quantized checkpoint.")

    @Option(help: "Model preset whose teacher to quantize.") var model = "wan-s"
    @Option(help: "A teacher checkpoint to use instead.") var checkpoint: String?
    @Option(help: "rtn, vidit-q or svdquant.") var method = "svdquant"
    @Option(help: "Weight bits.") var wbits = 4
    @Option(help: "Activation bits.") var abits = 4
    @Option(help: "Group size for weights and activations (0 = per channel / per token).") var group = 0
    @Option(help: "SVDQuant low-rank branch rank.") var rank = 32
    @Flag(help: "ViDiT-Q: Hadamard rotation after balancing.") var hadamard = false
    @Option(help: "Calibration captions (training set).") var calibrationPrompts = 4
    @Option(help: "Sampling steps of the calibration trajectories.") var steps = 25
    @Option(help: "Output checkpoint.") var out = "runs/quantized/model.safetensors"

    func run() throws {
        let ptq: PTQMethod
        switch method {
        case "rtn": ptq = .rtn
        case "vidit-q", "viditq": ptq = .viditq(ViDiTQOptions(hadamard: hadamard))
        case "svdquant": ptq = .svdquant(SVDQuantOptions(rank: rank))
        default: throw ValidationError("unknown PTQ method '\(method)'; known: rtn, vidit-q, svdquant")
        }
        let teacher = try ModelStore.load(model: model, checkpoint: checkpoint)
        let student = try teacher.copy()
        let tokenizer = try CaptionTokenizer.matching(teacher.vocabulary, maxLength: teacher.config.textLength)
        let tokens = try MotionShapesPrompts.trainingCaptions(count: calibrationPrompts, seed: 7)
            .map { try tokenizer.encode($0.render()).map(Int.init) }
        print("quantize: calibrating \(teacher.config.name) on \(tokens.count) training captions (\(steps) steps each)")
        let (calibration, evaluation) = PostTrainingQuantization.calibrate(
            model: student, tokens: tokens, seeds: (0..<tokens.count).map { UInt64(1000 + $0) }, steps: steps)
        let g: Int? = group > 0 ? group : nil
        let spec = QuantizationSpec(weight: WeightQuantSpec(bits: wbits, groupSize: g), activation: ActivationQuantSpec(bits: abits, groupSize: g))
        let progress = ProgressLine("quantize \(ptq.name)", total: student.dit.quantizableLinears.count)
        let report = try PostTrainingQuantization.apply(ptq, to: student, spec: spec, calibration: calibration,
                                                        evaluation: evaluation) { done, _, _ in progress.update(done) }
        let error = Calibration.relativeOutputError(model: student, at: evaluation.inputs, reference: evaluation.reference)
        try Files.makeDirectory((out as NSString).deletingLastPathComponent)
        try QuantizedCheckpoint.save(student, report: report, to: out)
        let summary = ModelQuantization.summary(of: student.dit)
        print(String(format: "%@ %@: relative DiT output error %.4f on calibration trajectories; %d bytes deployed (%.1f× smaller than FP32); wrote %@",
                     ptq.name, spec.label, error, summary.deployBytes, summary.compression, out))
    }
}
