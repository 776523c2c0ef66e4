import Foundation
import QVModels
import QVTensor

/// The foundation benchmark (issue 2): a DiT-like stack (hidden 128, 4 heads, MLP 4×, 128 video
/// tokens, batch 16, 4 blocks, cross-attention to 8 text tokens — the `wan-s` preset) timed for
/// forward and for a full train step, against the time of exactly the same GEMMs replayed alone
/// through single-thread OpenBLAS in the same run.
public struct TensorBenchmark {
    public struct Result: Sendable {
        public var blasCore: String
        public var forwardSeconds: Double
        public var trainStepSeconds: Double
        public var trainStepFLOPs: Int
        public var pureGEMMSeconds: Double
        public var sgemmSquareGFLOPS: Double

        /// Train-step time over the pure-GEMM time of the same FLOPs (target ≤ 1.3).
        public var overheadRatio: Double { trainStepSeconds / pureGEMMSeconds }

        public var markdown: String {
            """
            | quantity | value |
            | --- | --- |
            | OpenBLAS core, threads | \(blasCore), 1 |
            | forward (batch 16) | \(String(format: "%.1f", forwardSeconds * 1e3)) ms |
            | train step (fwd + bwd + AdamW) | \(String(format: "%.1f", trainStepSeconds * 1e3)) ms |
            | train-step GEMM FLOPs | \(String(format: "%.2f", Double(trainStepFLOPs) / 1e9)) GFLOP |
            | achieved (GEMM FLOPs / step time) | \(String(format: "%.1f", Double(trainStepFLOPs) / trainStepSeconds / 1e9)) GFLOP/s |
            | same GEMMs replayed alone | \(String(format: "%.1f", pureGEMMSeconds * 1e3)) ms (\(String(format: "%.1f", Double(trainStepFLOPs) / pureGEMMSeconds / 1e9)) GFLOP/s) |
            | sgemm 512³ single thread | \(String(format: "%.1f", sgemmSquareGFLOPS)) GFLOP/s |
            | train step / pure GEMM (target ≤ 1.3) | \(String(format: "%.2f", overheadRatio)) |
            """
        }
    }

    public var batch = 16
    public var repeats = 5

    public init(batch: Int = 16, repeats: Int = 5) {
        self.batch = batch
        self.repeats = repeats
    }

    public func run() throws -> Result {
        ComputeThreads.setBLAS(1)
        ComputeThreads.configureAllocator()
        let config = try DiTConfig.preset("wan-s", vocabularySize: 32, textLength: 8)
        let model = VideoDiT(config, seed: 1)
        var rng = SeededGenerator(seed: 2)
        let latents = Tensor.randn([batch, config.frames, config.latentHeight, config.latentWidth, config.latentChannels],
                                   using: &rng)
        let target = Tensor.randn(latents.shape, using: &rng)
        let text = Tensor.randn([batch, config.textLength, config.textDim], using: &rng)
        let valid = [Bool](repeating: true, count: batch * config.textLength)
        let times = (0..<batch).map { _ in rng.uniform(0, 1000) }
        let params = model.namedParameters().map(\.1)
        let optimizer = AdamW(groups: [ParameterGroup(name: "all", parameters: params, learningRate: 1e-4)])

        let forward = Stopwatch.best(repeats: repeats) {
            _ = withNoGrad { model(latents, timesteps: times, text: text, textValid: valid) }
        }
        func trainStep() {
            let loss = Tensor.mseLoss(model(latents, timesteps: times, text: text, textValid: valid), target)
            loss.backward()
            optimizer.update()
            optimizer.zeroGrad()
        }
        let train = Stopwatch.best(repeats: repeats, trainStep)
        let (_, shapes) = GEMMProfile.record { trainStep() }
        let pure = replay(shapes)
        let square = sgemmGFLOPS(m: 512, n: 512, k: 512)
        return Result(blasCore: ComputeThreads.blasCore, forwardSeconds: forward, trainStepSeconds: train,
                      trainStepFLOPs: shapes.reduce(0) { $0 + $1.flops }, pureGEMMSeconds: pure,
                      sgemmSquareGFLOPS: square)
    }

    /// Best time of running exactly these GEMMs back to back on preallocated buffers.
    func replay(_ shapes: [GEMMShape]) -> Double {
        let maxA = shapes.map { $0.m * $0.k }.max() ?? 1, maxB = shapes.map { $0.k * $0.n }.max() ?? 1
        let maxC = shapes.map { $0.m * $0.n }.max() ?? 1
        var a = [Float](repeating: 0.5, count: maxA), b = [Float](repeating: 0.25, count: maxB)
        var c = [Float](repeating: 0, count: maxC)
        return Stopwatch.best(repeats: repeats) {
            a.withUnsafeMutableBufferPointer { a in b.withUnsafeMutableBufferPointer { b in c.withUnsafeMutableBufferPointer { c in
                for s in shapes {
                    sgemm(transA: s.transA, transB: s.transB, m: s.m, n: s.n, k: s.k, a: a.baseAddress!,
                          lda: s.transA ? s.m : s.k, b: b.baseAddress!, ldb: s.transB ? s.k : s.n, beta: 0,
                          c: c.baseAddress!, ldc: s.n)
                }
            } } }
        }
    }

    func sgemmGFLOPS(m: Int, n: Int, k: Int) -> Double {
        let t = replay(Array(repeating: GEMMShape(m: m, n: n, k: k, transA: false, transB: false), count: 4))
        return Double(4 * 2 * m * n * k) / t / 1e9
    }
}
