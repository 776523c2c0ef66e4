import Foundation
import QVKernels
import QVModels
import QVQuant
import QVTensor

/// Per-sampling-step latency of a DiT (one CFG forward of batch 2) in full precision or deployed
/// on the integer kernels, with its weight bytes; the peak resident memory of a mode is measured in
/// a child process (`qvbench bench step`), one mode per process.
public struct StepLatency {
    public enum Mode: String, CaseIterable, Sendable {
        case fp32, w8a8, w4a4
        case w4a4Group64 = "w4a4-g64"
    }

    public struct Result: Sendable, Codable {
        public var model: String
        public var mode: String
        public var millisecondsPerStep: Double
        public var weightBytes: Int
        public var peakResidentBytes: Int?
    }

    public var model: String
    public var mode: Mode
    public var repeats: Int

    public init(model: String, mode: Mode, repeats: Int = 10) {
        self.model = model
        self.mode = mode
        self.repeats = repeats
    }

    public func run() throws -> Result {
        ComputeThreads.setBLAS(1)
        let config = try DiTConfig.preset(model, vocabularySize: 51, textLength: 24)
        let dit = VideoDiT(config, seed: 3)
        switch mode {
        case .fp32: break
        case .w8a8, .w4a4, .w4a4Group64:
            let bits = mode == .w8a8 ? 8 : 4, group = mode == .w4a4Group64 ? 64 : nil
            ModelQuantization.install(on: dit, spec: QuantizationSpec(weight: WeightQuantSpec(bits: bits, groupSize: group, mseInit: false),
                                                                     activation: ActivationQuantSpec(bits: bits, groupSize: group)))
            try ModelQuantization.deploy(dit)
        }
        var rng = SeededGenerator(seed: 4)
        let x = Tensor.randn([2, config.frames, config.latentHeight, config.latentWidth, config.latentChannels], using: &rng)
        let text = Tensor.randn([2, config.textLength, config.textDim], using: &rng)
        let valid = [Bool](repeating: true, count: 2 * config.textLength)
        let seconds = Stopwatch.best(repeats: repeats) {
            _ = withNoGrad { dit(x, timesteps: [500, 500], text: text, textValid: valid) }
        }
        return Result(model: model, mode: mode.rawValue, millisecondsPerStep: seconds * 1e3,
                      weightBytes: ModelQuantization.summary(of: dit).deployBytes, peakResidentBytes: Self.peakResidentBytes())
    }

    /// VmHWM of this process from /proc/self/status.
    public static func peakResidentBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kb = line.split(separator: " ").compactMap { Int($0) }.first
            return kb.map { $0 * 1024 }
        }
        return nil
    }
}
