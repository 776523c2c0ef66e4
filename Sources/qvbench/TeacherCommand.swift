import ArgumentParser
import Foundation
import QVHarness
import QVData
import QVModels

/// `qvbench teacher …`: train and evaluate the reference teachers.
struct Teacher: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train or evaluate a reference teacher (full-precision video DiT).",
        subcommands: [Train.self, Evaluate.self])

    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train a teacher on MotionShapes; rerun the same command to resume after an interruption.")

        @Option(help: "Model preset: \(DiTConfig.knownPresets.joined(separator: ", ")).") var model = "wan-s"
        @Option(help: "Training steps (default: the shipped recipe's).") var steps: Int?
        @Option(help: "Batch size (default: the shipped recipe's).") var batch: Int?
        @Option(help: "Peak learning rate (default: the shipped recipe's).") var lr: Float?
        @Option(help: "Number of training clips.") var clips: Int?
        @Option(help: "Seed for initialisation and per-step randomness.") var seed: UInt64 = 0
        @Option(help: "Output directory (default runs/teachers/<model>).") var out: String?
        @Flag(help: "Store the final teacher in F16 (the shipped fixtures are).") var f16 = false
        @Option(help: "Start from this teacher checkpoint (fine-tune with a fresh schedule; a shallower teacher of the same family and width is grown to the model's depth).") var initFrom: String?
        @Option(help: "Stop after this many steps in this invocation (rerun to continue; for time-limited jobs).") var stepLimit: Int?
        @Option(help: "Train at the SNRs of rectified flow's σ = s·u/(1+(s−1)·u) (1: Wan's training density, 3: its sampler's) instead of the family's own.")
        var timestepShift: Float?
        @Option(help: "Add this weight times the frame-to-frame change of the clean-data estimate's error to the loss (motion term; 0 or absent: plain MSE).")
        var motionLoss: Float?
        @Option(help: "DiT blocks instead of the preset's; with --init-from a shallower teacher, grows it (added blocks start as identity).")
        var depth: Int?
        @Option(help: "Fraction of training captions with a second object (default: MotionShapes' \(MotionShapesPrompts.defaultSecondObjectFraction)).")
        var secondObjectFraction: Double?

        func run() throws {
            guard DiTConfig.knownPresets.contains(model) else {
                throw ValidationError("unknown model '\(model)'; known: \(DiTConfig.knownPresets.joined(separator: ", "))")
            }
            var recipe = TeacherRecipe.standard(for: model)
            recipe.seed = seed
            if let steps { recipe.steps = steps }
            if let batch { recipe.batch = batch }
            if let lr { recipe.learningRate = lr }
            if let clips { recipe.trainClips = clips }
            if let timestepShift {
                guard timestepShift > 0, timestepShift.isFinite else { throw ValidationError("--timestep-shift must be a positive number") }
                recipe.timestepShift = timestepShift
            }
            if let motionLoss {
                guard motionLoss >= 0, motionLoss.isFinite else { throw ValidationError("--motion-loss must be a number ≥ 0") }
                recipe.motionLossWeight = motionLoss
            }
            if let depth {
                guard depth >= 1 else { throw ValidationError("--depth must be at least 1") }
                recipe.depth = depth
            }
            if let secondObjectFraction {
                guard (0...1).contains(secondObjectFraction) else { throw ValidationError("--second-object-fraction must be in [0, 1]") }
                recipe.secondObjectFraction = secondObjectFraction
            }
            if let initFrom {
                guard let data = FileManager.default.contents(atPath: initFrom) else {
                    throw ValidationError("cannot read --init-from \(initFrom)")
                }
                recipe.initFrom = initFrom
                recipe.initHash = SHA256.hex(data)
            }
            let training = TeacherTraining(recipe: recipe, directory: out ?? "runs/teachers/\(model)", storage: f16 ? .f16 : .f32)
            try training.run(stepLimit: stepLimit)
        }
    }

    struct Evaluate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "eval",
            abstract: "Caption following: colour and motion-direction accuracy of samples vs the caption grammar.")

        @Option(help: "Model preset.") var model = "wan-s"
        @Option(help: "A checkpoint to use instead of the model's teacher.") var checkpoint: String?
        @Option(help: "Evaluation prompts (of 48).") var prompts = 48
        @Option(help: "Samples per prompt (of 5).") var samples = 2
        @Option(help: "Sampling steps.") var steps = 50
        @Option(help: "Classifier-free guidance weight (default: the family's, 5 for wan, 6 for cogx).") var cfg: Float?
        @Option(help: "Timesteps LO:HI (0…1000) at which guidance applies, or `all` (default: the family's; all for wan, 700:1000 for cogx).")
        var cfgInterval: GuidanceInterval?
        @Option(help: "Stochasticity of the sampler's steps (DDIM's η; 0 deterministic, 1 the posterior's noise).") var eta: Float = 0
        @Option(help: "Timestep (0…1000) of the one-step denoising check.") var denoiseFrom: Float = 500
        @Option(help: "Also sample the rest of the trajectory from the ground truth noised to this timestep (diagnostic).")
        var sampleFromData: Float?
        @Option(help: "Also generate from training captions: the first prompts × samples of the training set of this many clips (e.g. 24000), captions the teacher has seen (diagnostic).")
        var trainingCaptions: Int?
        @Option(help: "Write a contact sheet of the generated clips whose motion either direction measurement missed, labelled with both readings.")
        var missesSheet: String?
        @Flag(help: "List the clips (generated and ground truth) whose motion direction missed the caption's, by either reading.") var misses = false

        func validate() throws { try validateEta(eta) }

        func run() throws {
            let reference = try ModelStore.load(model: model, checkpoint: checkpoint)
            let evaluation = TeacherEvaluation(prompts: prompts, samples: samples, steps: steps, guidance: cfg,
                                               guidanceInterval: cfgInterval, eta: eta, denoiseTimestep: denoiseFrom,
                                               sampleFromData: sampleFromData, trainingCaptionPool: trainingCaptions)
            let result = try evaluation.run(model: reference, progress: ProgressLine("sample", total: prompts * samples))
            let guidance = result.guidance
            print("caption following of \(reference.config.name) (\(prompts) prompts × \(samples) samples, \(steps) steps, \(guidance)):")
            print("  generated:         \(result.generated)")
            let targets = String(format: "colour ≥ %.0f%%, direction ≥ %.0f%%", 100 * CaptionFollowing.colourTarget,
                                 100 * CaptionFollowing.directionTarget)
            print("  targets (\(targets)): \(result.generated.meetsTargets ? "met" : "not met")")
            print("  generated, played backwards (control): \(result.generatedReversed)")
            print("  evaluation data:   \(result.evaluationData)")
            print("  training data:     \(result.trainingData)")
            print("  one-step denoised eval data (t = \(Int(denoiseFrom)), no CFG): \(result.denoisedAtHalf)")
            if let fromData = result.sampledFromData, let t = sampleFromData {
                print("  sampled from eval data noised to t ≤ \(Int(t)) (rest of the \(steps) steps, \(guidance)): \(fromData)")
            }
            if let onTraining = result.generatedOnTrainingCaptions, let pool = trainingCaptions {
                print("  generated from training captions (first \(prompts * samples) of the \(pool)-clip set): \(onTraining)")
            }
            if misses {
                for (name, measured) in [("generated clips", result.generated), ("evaluation data", result.evaluationData)] {
                    print("  direction misses of the \(name) (tracked centre):")
                    for miss in measured.trackedDirectionMisses { print("    \(miss)") }
                    print("  direction misses of the \(name) (mean flow):")
                    for miss in measured.flowDirectionMisses { print("    \(miss)") }
                }
            }
            if let missesSheet {
                let rows = result.generated.moving.filter { !$0.flowHit || !$0.trackedHit }.map { clip in
                    (label: "\(clip.caption) | flow \(CaptionFollowing.describe(clip.flow)) | track "
                        + (clip.tracked.map(CaptionFollowing.describe) ?? "none"), clip: result.clips[clip.index])
                }
                if rows.isEmpty {
                    print("  misses sheet: no clip missed its direction, nothing written")
                } else {
                    try SampleWriter.write(rows, to: missesSheet, title: "\(reference.config.name) direction misses", sheetOnly: true)
                    print("  misses sheet: \(missesSheet)/contact-sheet.png (\(rows.count) clips)")
                }
            }
            print(String(format: "  (%.0f s)", result.seconds))
        }
    }
}
