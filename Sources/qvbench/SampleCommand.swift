import ArgumentParser
import Foundation
import QVHarness
import QVModels

/// `qvbench sample`: generate clips for captions and write MP4, PNG frames and a contact sheet.
struct Sample: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sample clips from a teacher (or a quantized checkpoint) for one or more captions.")

    @Option(help: "Model preset whose teacher to use (fixtures/ or runs/teachers/).") var model = "wan-s"
    @Option(help: "A checkpoint to use instead of the model's teacher.") var checkpoint: String?
    @Option(name: .customLong("prompt"), help: "Caption (repeatable), e.g. \"a red circle moves left on a night sky\".")
    var prompts: [String] = ["a red circle moves left on a night sky"]
    @Option(help: "Sampling seed (each further prompt uses seed + index).") var seed: UInt64 = 0
    @Option(help: "Sampling steps.") var steps = 50
    @Option(help: "Classifier-free guidance weight (default: the family's).") var cfg: Float?
    @Option(help: "Timesteps LO:HI (0…1000) at which guidance applies, or `all` (default: the family's; all for wan, 700:1000 for cogx).")
    var cfgInterval: GuidanceInterval?
    @Option(help: "Stochasticity of the sampler's steps (DDIM's η; 0 deterministic, 1 the posterior's noise).") var eta: Float = 0
    @Option(help: "Output directory.") var out = "runs/samples"
    @Flag(help: "Write only the contact sheet (no MP4/PNG frames).") var sheetOnly = false

    func validate() throws { try validateEta(eta) }

    func run() throws {
        let reference = try ModelStore.load(model: model, checkpoint: checkpoint)
        let generator = try ClipGenerator(model: reference, steps: steps, guidance: cfg, guidanceInterval: cfgInterval, eta: eta)
        let requests = prompts.enumerated().map { GenerationRequest(caption: $0.element, seed: seed + UInt64($0.offset)) }
        let t0 = Date()
        let clips = try generator.generate(requests)
        let written = try SampleWriter.write(Array(zip(prompts, clips)).map { (label: $0.0, clip: $0.1) }, to: out,
                                             title: "\(reference.config.name), \(steps) steps, \(generator.guidanceLabel)",
                                             sheetOnly: sheetOnly)
        print(String(format: "sampled %d clip(s) in %.2f s; wrote %d files to %@ (contact sheet: %@/contact-sheet.png)",
                     clips.count, Date().timeIntervalSince(t0), written.count, out, out))
    }
}
