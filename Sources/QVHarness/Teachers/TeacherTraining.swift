import Foundation
import QVData
import QVModels
import QVTensor

/// Trains a teacher from a recipe into a directory, resumably:
/// `train-state.safetensors` (model + optimizer + step, written atomically every `checkpointEvery`
/// steps), `loss.csv` (step, loss, gradient norm, learning rate, up to the last checkpoint) and at the
/// end `teacher.safetensors`. Rerunning the same command after an interruption continues from the
/// last checkpoint and gives the same teacher as an uninterrupted run.
public struct TeacherTraining {
    public let recipe: TeacherRecipe
    public let directory: String
    public var storage: ParameterStorage = .f32

    public init(recipe: TeacherRecipe, directory: String, storage: ParameterStorage = .f32) {
        self.recipe = recipe
        self.directory = directory
        self.storage = storage
    }

    public var statePath: String { directory + "/train-state.safetensors" }
    public var teacherPath: String { directory + "/teacher.safetensors" }
    public var lossPath: String { directory + "/loss.csv" }

    var recipeJSON: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(recipe)) ?? Data(), as: UTF8.self)
    }

    /// Runs (or resumes, or returns the finished) training; `log` receives human-readable lines.
    /// With `stepLimit`, stops (after checkpointing) once that many steps ran in this call — training
    /// in time slices, e.g. under a cluster's job time limit — and returns nil; rerun to continue.
    @discardableResult
    public func run(stepLimit: Int? = nil, log: (String) -> Void = { print($0) }) throws -> ReferenceModel? {
        if Files.exists(teacherPath) {
            let done = try ReferenceModel.load(from: teacherPath)
            if done.info["recipe"] == recipeJSON { log("teacher: \(teacherPath) already trained with this recipe"); return done }
            throw HarnessError.invalid("\(teacherPath) was trained with another recipe; choose another --out or delete it")
        }
        try Files.makeDirectory(directory)
        let tokenizer = try CaptionTokenizer()
        let dataset = try MotionShapesDataset.training(count: recipe.trainClips, seed: recipe.dataSeed, tokenizer: tokenizer,
                                                        secondObjectFraction: recipe.secondObjectFraction ?? MotionShapesPrompts.defaultSecondObjectFraction)
        var config = try DiTConfig.preset(recipe.model, vocabularySize: tokenizer.vocabularySize, textLength: tokenizer.maxLength)
        if let depth = recipe.depth { config.depth = depth }
        let initial = try recipe.initFrom.map { try ReferenceModel.load(from: $0) }
        if let initial {
            // A teacher may continue under another schedule setting (the cogx SNR shift) or be grown to
            // more blocks (`VideoDiT.grow`); nothing else about its shape may change.
            guard initial.config.canGrow(into: config) else {
                throw HarnessError.invalid("--init-from \(recipe.initFrom!) is a \(initial.config.name) teacher of another shape, not \(config.name)")
            }
            if initial.config.depth < config.depth {
                log("teacher: growing the \(initial.config.depth)-block teacher to \(config.depth) blocks (added blocks start as identity)")
            }
            if initial.config.snrShift != config.snrShift {
                log("teacher: --init-from was trained with SNR shift \(initial.config.snrShift ?? 3); continuing with \(config.snrShift ?? 3)")
            }
        }
        let codec = try initial?.codec ?? fitCodec(dataset, config: config)
        log("teacher: rendering and encoding \(dataset.count) MotionShapes clips")
        let clips = try EncodedClipSet.encode(dataset, codec: codec, progress: ProgressLine("encode", total: dataset.count))
        let model = ReferenceModel(config: config, codec: codec, vocabulary: tokenizer.tokens, seed: recipe.seed,
                                   info: ["recipe": recipeJSON, "data": "MotionShapes train \(recipe.trainClips) clips, seed \(recipe.dataSeed)"])
        let trainer = DiffusionTrainer(model: model.dit, textEncoder: model.textEncoder, nullTokens: model.nullTokens(),
                                       settings: recipe.trainingSettings)
        if let initial {
            try model.dit.grow(from: initial.dit)
            for ((_, a), (_, b)) in zip(initial.textEncoder.namedParameters(), model.textEncoder.namedParameters()) { b.data = a.data }
        }
        var rows = try resume(into: model, trainer: trainer)
        log("teacher: \(config.name), \(model.dit.parameterCount) DiT parameters, steps \(trainer.step)..<\(recipe.steps)")
        let progress = ProgressLine("train \(config.name)", total: recipe.steps)
        let firstStep = trainer.step
        while trainer.step < recipe.steps {
            if let stepLimit, trainer.step - firstStep >= stepLimit {
                try saveState(model, trainer: trainer, rows: rows)
                log("teacher: stopped at step \(trainer.step) of \(recipe.steps) (step limit); rerun to continue")
                return nil
            }
            let entry = try trainer.trainStep(on: clips)
            rows.append(String(format: "%d,%.6f,%.6f,%.8f", entry.step, entry.loss, entry.gradientNorm, entry.learningRate))
            let recent = rows.suffix(50).compactMap { Float($0.split(separator: ",")[1]) }
            progress.update(trainer.step, String(format: "loss %.4f", recent.reduce(0, +) / Float(Swift.max(recent.count, 1))))
            if trainer.step % recipe.checkpointEvery == 0 || trainer.step == recipe.steps {
                try saveState(model, trainer: trainer, rows: rows)
            }
        }
        try model.save(to: teacherPath, storage: storage)
        log("teacher: wrote \(teacherPath)")
        return storage == .f32 ? model : try ReferenceModel.load(from: teacherPath)
    }

    func fitCodec(_ dataset: MotionShapesDataset, config: DiTConfig) throws -> LatentCodec {
        let s = dataset.settings
        let clips = try (0..<Swift.min(recipe.codecClips, dataset.count)).map { try dataset.example($0).clip.pixels }
        return try LatentCodec.fit(clips: clips, frames: s.frameCount, height: s.height, width: s.width,
                                   patch: config.pixelsPerLatent, channels: config.latentChannels)
    }

    /// Restores parameters, optimizer state, step and loss rows from the last checkpoint, if any.
    func resume(into model: ReferenceModel, trainer: DiffusionTrainer) throws -> [String] {
        guard Files.exists(statePath) else { return [] }
        let file = try SafetensorsFile.read(from: statePath)
        guard file.metadata["recipe"] == recipeJSON else {
            throw HarnessError.invalid("\(statePath) belongs to another recipe; delete it or use another --out")
        }
        let saved = try ReferenceModel.load(file: file, path: statePath)
        for ((_, a), (_, b)) in zip(saved.namedParameters, model.namedParameters) { b.data = a.data }
        var state: [String: [Float]] = [:]
        for t in file.tensors where t.name.hasPrefix("optim.") { state[String(t.name.dropFirst(6))] = try t.floatValues() }
        try trainer.optimizer.load(stateDict: state)
        trainer.step = Int(file.metadata["step"] ?? "0") ?? 0
        let lines = (try? String(contentsOfFile: lossPath, encoding: .utf8))?.split(separator: "\n").map(String.init) ?? []
        return Array(lines.dropFirst().prefix(trainer.step))
    }

    func saveState(_ model: ReferenceModel, trainer: DiffusionTrainer, rows: [String]) throws {
        let optimizer = try trainer.optimizer.stateDict().map { name, values in
            try SafetensorsTensor(name: "optim." + name, floats: values, shape: [values.count])
        }
        try model.save(to: statePath, extra: optimizer, extraMetadata: ["recipe": recipeJSON, "step": String(trainer.step)])
        try Files.writeAtomically((["step,loss,grad_norm,lr"] + rows).joined(separator: "\n") + "\n", to: lossPath)
    }
}
