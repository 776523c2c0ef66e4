import ArgumentParser
import Foundation
import QVHarness
import QVQuant

/// `qvbench qat`: quantization-aware training of a teacher with one method, or all of them compared.
struct QAT: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qat",
        abstract: "Quantization-aware training (LSQ, Q-DM, EfficientDM, QVGen) with loss/gradient/Φ diagnostics.",
        subcommands: [Train.self, Compare.self], defaultSubcommand: Train.self)

    struct Options: ParsableArguments {
        @Option(help: "Model preset whose teacher to quantize.") var model = "wan-s"
        @Option(help: "A teacher checkpoint to use instead.") var checkpoint: String?
        @Option(help: "Weight bits.") var wbits = 4
        @Option(help: "Activation bits.") var abits = 4
        @Option(help: "Training steps.") var steps = 600
        @Option(help: "Batch size.") var batch = 8
        @Option(help: "Seed.") var seed: UInt64 = 0
        @Option(help: "Output directory.") var out: String?

        var settings: QATSettings { QATSettings(steps: steps, batch: batch, seed: seed) }
    }

    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Train one method and write its diagnostics and checkpoint.")
        @OptionGroup var options: Options
        @Option(help: "Method: \(QATMethods.names.joined(separator: ", ")).") var method = "qvgen"
        @Option(help: "QVGen: initial rank r₀ of Φ (0 = naive QAT).") var rank = 32
        @Option(help: "QVGen: shrinking ratio λ.") var lambda = 0.5
        @Option(help: "QVGen: decay strategy (none, rank, sparse, residual).") var decay = "rank"
        @Option(help: "EfficientDM: LoRA rank.") var loraRank = 32

        func run() throws {
            guard QATMethods.names.contains(method) else {
                throw ValidationError("unknown method '\(method)'; known: \(QATMethods.names.joined(separator: ", "))")
            }
            guard let d = QVGenOptions.Decay(rawValue: decay) else {
                throw ValidationError("unknown decay '\(decay)'; known: none, rank, sparse, residual")
            }
            let teacher = try ModelStore.load(model: options.model, checkpoint: options.checkpoint)
            let config = QATRunConfig(model: options.model, method: method, weightBits: options.wbits, activationBits: options.abits,
                                      qvgen: QVGenOptions(phi: rank > 0, rank: rank, lambda: lambda, decay: d), loraRank: loraRank,
                                      settings: options.settings)
            let dir = options.out ?? "runs/qat/\(options.model)-\(method)-w\(options.wbits)a\(options.abits)"
            print("qat: \(config.label) on \(teacher.config.name), \(options.steps) steps, batch \(options.batch) → \(dir)")
            let data = try QATRun.trainingData(teacher: teacher, clips: 2000, seed: 1)
            let r = try QATRun(config: config).run(teacher: teacher, data: data, directory: dir,
                                                   progress: ProgressLine(config.label, total: options.steps))
            if ModelQuantization.quantizers(of: r.student.dit).allSatisfy({ $0.1.auxiliary == nil && $0.1.lora == nil }) {
                try QuantizedCheckpoint.save(r.student, to: dir + "/student.safetensors")
                print("wrote \(dir)/student.safetensors (sample it with `qvbench sample --checkpoint \(dir)/student.safetensors`)")
            } else {
                print("the student keeps Φ (decay none): no deployable checkpoint is written for it")
            }
            print(String(format: "KD loss %.4f → %.4f, mean ‖g‖ %.4f, %.2f steps/s, deploy %d bytes (%.1f× smaller than FP32), %d extra inference parameters",
                         r.initialLoss, r.finalLoss, r.meanGradientNorm, r.stepsPerSecond, r.summary.deployBytes,
                         r.summary.compression, r.summary.extraParameters))
        }
    }

    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "LSQ, Q-DM, EfficientDM, naive QAT, QVGen with Φ kept and QVGen with rank-decay on one budget.")
        @OptionGroup var options: Options

        func run() throws {
            let teacher = try ModelStore.load(model: options.model, checkpoint: options.checkpoint)
            let dir = options.out ?? "runs/qat/compare-\(options.model)-w\(options.wbits)a\(options.abits)"
            let comparison = QATComparison(model: options.model, weightBits: options.wbits, activationBits: options.abits,
                                           settings: options.settings)
            let md = try comparison.run(teacher: teacher, directory: dir) { print($0) }
            print(md)
            try md.write(toFile: dir + "/comparison.md", atomically: true, encoding: .utf8)
        }
    }
}
