import Foundation
import QVData
import QVModels
import QVQuant
import QVTensor

/// Turns a teacher into the model a suite row describes: the teacher itself (fp), a PTQ result, or
/// a QAT student, recording training diagnostics as metrics and artefacts.
struct MethodApplication {
    let configuration: CellConfiguration

    func knob(_ name: String) -> KnobValue? { configuration.knobs[name] }
    func int(_ name: String, _ fallback: Int) -> Int { knob(name)?.doubleValue.map { Int($0) } ?? fallback }
    func number(_ name: String, _ fallback: Double) -> Double { knob(name)?.doubleValue ?? fallback }
    func flag(_ name: String, _ fallback: Bool) -> Bool { if case let .flag(v)? = knob(name) { return v }; return fallback }
    func word(_ name: String, _ fallback: String) -> String { if case let .word(v)? = knob(name) { return v }; return fallback }

    func apply(to teacher: ReferenceModel, directory: String, metrics: inout [String: Double],
               artefacts: inout [String: String], progress: (String) -> Void) throws -> ReferenceModel {
        let c = configuration
        switch c.method {
        case "fp":
            return teacher
        case "rtn", "vidit-q", "svdquant":
            return try PTQApplication(configuration: c, knobs: self).apply(to: teacher, metrics: &metrics, progress: progress)
        default:
            let training = c.training ?? TrainingSettings()
            let decay = QVGenOptions.Decay(rawValue: word("decay", "rank")) ?? .rank
            let options = QVGenOptions(phi: flag("phi", true), rank: int("rank", 32), lambda: number("lambda", 0.5), decay: decay)
            let config = QATRunConfig(model: c.model, method: c.method, weightBits: c.w, activationBits: c.a, qvgen: options,
                                      loraRank: int("lora_rank", 32),
                                      settings: QATSettings(steps: training.qatSteps, batch: training.batch, seed: 0),
                                      trainClips: 2000, dataSeed: 1,
                                      spectrumEvery: Swift.max(training.qatSteps / 10, 1))
            progress("encoding training clips")
            let data = try QATRun.trainingData(teacher: teacher, clips: config.trainClips, seed: config.dataSeed)
            let run = QATRun(config: config)
            var lastReport = 0.0
            let result = try withoutActuallyEscaping(progress) { progress in
                try run.run(teacher: teacher, data: data, directory: directory) { done in
                    let now = Stopwatch.now()
                    if now - lastReport > 1 { lastReport = now; progress("QAT step \(done)/\(training.qatSteps)") }
                }
            }
            metrics[MetricNames.trainLossFinal] = Double(result.finalLoss)
            metrics["train_loss_initial"] = Double(result.initialLoss)
            metrics[MetricNames.gradNormMean] = Double(result.meanGradientNorm)
            artefacts["loss"] = "qat-log.csv"
            artefacts["training_curves"] = "training-curves.png"
            if !result.spectrum.isEmpty { artefacts["phi_spectrum"] = "phi-spectrum.png" }
            return result.student
        }
    }
}

