import Foundation
import QVData
import QVModels
import QVQuant
import QVTensor

/// Everything that determines one QAT run (a cell of the QAT rows).
public struct QATRunConfig: Codable, Sendable, Hashable {
    public var model: String
    public var method: String
    public var weightBits: Int
    public var activationBits: Int
    public var qvgen: QVGenOptions
    public var loraRank: Int
    public var settings: QATSettings
    /// MotionShapes training clips the KD inputs come from (encoded with the teacher's codec).
    public var trainClips: Int
    public var dataSeed: UInt64
    /// Steps between Φ spectrum snapshots (QVGen).
    public var spectrumEvery: Int
    /// Steps between resumable checkpoints of the whole training state.
    public var checkpointEvery: Int

    public init(model: String, method: String, weightBits: Int = 4, activationBits: Int = 4,
                qvgen: QVGenOptions = QVGenOptions(), loraRank: Int = 32, settings: QATSettings = QATSettings(),
                trainClips: Int = 2000, dataSeed: UInt64 = 1, spectrumEvery: Int = 50, checkpointEvery: Int = 100) {
        self.model = model
        self.method = method
        self.weightBits = weightBits
        self.activationBits = activationBits
        self.qvgen = qvgen
        self.loraRank = loraRank
        self.settings = settings
        self.trainClips = trainClips
        self.dataSeed = dataSeed
        self.spectrumEvery = spectrumEvery
        self.checkpointEvery = checkpointEvery
    }

    public var spec: QuantizationSpec {
        QuantizationSpec(weight: WeightQuantSpec(bits: weightBits), activation: ActivationQuantSpec(bits: activationBits))
    }

    /// "qvgen W4A4 r32 λ0.5 rank" style label.
    public var label: String {
        var s = "\(method) W\(weightBits)A\(activationBits)"
        if method == "qvgen" {
            s += options(qvgen)
        }
        return s
    }

    func options(_ o: QVGenOptions) -> String {
        o.phi && o.rank > 0 ? " r\(o.rank) lambda\(o.lambda) \(o.decay.rawValue)" : " (no Phi)"
    }
}

/// What a QAT run measured.
public struct QATRunResult {
    public var config: QATRunConfig
    /// KD loss of the student with its initial (PTQ-style) quantizers, and after training, on a fixed evaluation batch.
    public var initialLoss: Float
    public var finalLoss: Float
    public var meanGradientNorm: Float
    public var stepsPerSecond: Double
    public var log: [QATStepLog]
    public var summary: QuantizationSummary
    /// (step, fraction of Φ singular values below 1% of the largest, averaged over layers).
    public var spectrum: [(step: Int, smallFraction: Double)]
    public var student: ReferenceModel
}

/// Runs one QAT configuration against a teacher and writes its diagnostics into a directory.
public struct QATRun {
    public let config: QATRunConfig
    public init(config: QATRunConfig) { self.config = config }

    /// KD training inputs: MotionShapes training clips encoded with the teacher's codec.
    public static func trainingData(teacher: ReferenceModel, clips: Int, seed: UInt64) throws -> EncodedClipSet {
        let tokenizer = try CaptionTokenizer.matching(teacher.vocabulary, maxLength: teacher.config.textLength)
        return try EncodedClipSet.encode(MotionShapesDataset.training(count: clips, seed: seed, tokenizer: tokenizer),
                                         codec: teacher.codec)
    }

    public func run(teacher: ReferenceModel, data: EncodedClipSet, directory: String?,
                    progress: ProgressLine? = nil, stepCallback: ((Int) -> Void)? = nil) throws -> QATRunResult {
        let method = try QATMethods.make(config.method, qvgen: config.qvgen, loraRank: config.loraRank)
        let trainer = try QATMethods.trainer(teacher: teacher, method: method, spec: config.spec, settings: config.settings,
                                             trajectoryTokens: data.tokens)
        let initial = trainer.evaluationLoss(on: data)
        var log: [QATStepLog] = [], spectrum: [(Int, Double)] = []
        let statePath = directory.map { $0 + "/qat-state.safetensors" }
        if let directory { try Files.makeDirectory(directory) }
        if let statePath, Files.exists(statePath), let directory {
            try QATCheckpoint.restore(trainer, from: statePath)
            (log, spectrum) = try QATDiagnostics.read(from: directory, upTo: trainer.step)
        }
        let t0 = Stopwatch.now(), resumedAt = trainer.step
        while trainer.step < config.settings.steps {
            if let qvgen = method as? QVGenMethod, trainer.step % Swift.max(config.spectrumEvery, 1) == 0 {
                spectrum.append((trainer.step, try Self.smallSingularFraction(qvgen.phiSpectra())))
            }
            let entry: QATStepLog
            do { entry = try trainer.trainStep(on: data) } catch let error as QATError {
                throw HarnessError.invalid("\(error)" + (statePath.map { Files.exists($0) ? "; last good checkpoint: \($0)" : "" } ?? ""))
            }
            log.append(entry)
            if let statePath, let directory, trainer.step % Swift.max(config.checkpointEvery, 1) == 0, trainer.step < config.settings.steps {
                try QATCheckpoint.save(trainer, to: statePath)
                try QATDiagnostics.writeLog(log, spectrum: spectrum, to: directory)
            }
            progress?.update(trainer.step, String(format: "loss %.4f |g| %.3f", entry.loss, entry.gradientNorm))
            stepCallback?(trainer.step)
        }
        let seconds = Stopwatch.now() - t0
        try method.finish(student: trainer.student, optimizer: trainer.optimizer)
        let result = QATRunResult(config: config, initialLoss: initial, finalLoss: trainer.evaluationLoss(on: data),
                                  meanGradientNorm: log.map(\.gradientNorm).reduce(0, +) / Float(Swift.max(log.count, 1)),
                                  stepsPerSecond: Double(trainer.step - resumedAt) / Swift.max(seconds, 1e-9), log: log,
                                  summary: ModelQuantization.summary(of: trainer.student.dit),
                                  spectrum: spectrum.map { (step: $0.0, smallFraction: $0.1) }, student: trainer.student)
        if let directory { try QATDiagnostics.write(result, to: directory) }
        return result
    }

    /// Share of singular values below 1% of each layer's largest, averaged over layers (the paper's Fig. 4).
    static func smallSingularFraction(_ spectra: [String: [Float]]) -> Double {
        guard !spectra.isEmpty else { return 1 }
        let fractions = spectra.values.map { s -> Double in
            guard let top = s.first, top > 0 else { return 1 }
            return Double(s.filter { $0 < 0.01 * top }.count) / Double(s.count)
        }
        return fractions.reduce(0, +) / Double(fractions.count)
    }
}
