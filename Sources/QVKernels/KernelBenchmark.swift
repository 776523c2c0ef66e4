import COpenBLAS
import CQVKernels
import Dispatch

/// One GEMM problem: y[M × N] = x[M × K] · Wᵀ, W [N × K].
public struct KernelBenchShape: Sendable, Hashable, CustomStringConvertible {
    public let m, n, k: Int
    /// Where the shape comes from, e.g. "s attn", "wan1.3b mlp-up".
    public let label: String
    public init(m: Int, n: Int, k: Int, label: String) {
        self.m = m; self.n = n; self.k = k; self.label = label
    }
    /// Multiply-accumulates × 2.
    public var operations: Double { 2 * Double(m) * Double(n) * Double(k) }
    public var description: String { "\(label) M\(m) N\(n) K\(k)" }
}

/// One timed kernel at one shape. GOP/s count 2·M·N·K integer (or float) operations per second.
public struct KernelBenchRow: Sendable {
    public let shape: KernelBenchShape
    /// "W8A8", "W4A4", "W4A4-g64" or "FP32 sgemm".
    public let variant: String
    /// The integer path (nil for sgemm).
    public let path: KernelPath?
    public let threads: Int
    /// Best time of the GEMM alone (activations already quantized), seconds.
    public let kernelSeconds: Double
    /// Best time including the per-token activation quantize+pack (nil for sgemm).
    public let endToEndSeconds: Double?
    public var kernelGOPS: Double { shape.operations / kernelSeconds / 1e9 }
    public var endToEndGOPS: Double? { endToEndSeconds.map { shape.operations / $0 / 1e9 } }
    /// Kernel GOP/s over sgemm GFLOP/s at the same shape and thread count.
    public let speedupOverSGEMM: Double?
    /// Kernel GOP/s over the measured dpbusd peak of this path's vector width × threads.
    public let percentOfPeak: Double?
}

/// The register-only dpbusd peak and the micro-kernel alone on L1-resident data.
public struct KernelPeakRow: Sendable {
    /// "vpdpbusd zmm peak", "micro-kernel W8 (K=256)", …
    public let name: String
    public let path: KernelPath
    public let gops: Double
    /// Of the dpbusd peak of the same width (nil for the peak rows themselves and AVX2).
    public let percentOfPeak: Double?
}

public struct KernelBenchReport: Sendable {
    public let rows: [KernelBenchRow]
    public let peaks: [KernelPeakRow]
    public let threads: Int
    /// `openblas_get_corename()`: which OpenBLAS kernels ran.
    public let openBLASCore: String
    public let cpuPaths: [KernelPath]
}

/// GOP/s of the integer GEMM paths against OpenBLAS sgemm (DESIGN.md §9, QVBench's efficiency
/// section). Timing is best-of-N after a warm-up; the machine is shared, so numbers are indicative.
public enum KernelBenchmark {
    /// Our model widths (d = 128…512 with 4× MLP) at 128…2048 tokens, and Wan 1.3B's (1536, MLP 8960).
    public static let defaultShapes: [KernelBenchShape] = {
        var shapes = [KernelBenchShape]()
        for d in [128, 256, 512] {
            for m in [128, 512, 2048] {
                shapes.append(KernelBenchShape(m: m, n: d, k: d, label: "d\(d) attn"))
                shapes.append(KernelBenchShape(m: m, n: 4 * d, k: d, label: "d\(d) mlp-up"))
                shapes.append(KernelBenchShape(m: m, n: d, k: 4 * d, label: "d\(d) mlp-down"))
            }
        }
        for m in [256, 2048] {
            shapes.append(KernelBenchShape(m: m, n: 1536, k: 1536, label: "wan1.3b attn"))
            shapes.append(KernelBenchShape(m: m, n: 8960, k: 1536, label: "wan1.3b mlp-up"))
            shapes.append(KernelBenchShape(m: m, n: 1536, k: 8960, label: "wan1.3b mlp-down"))
        }
        return shapes
    }()

    /// The integer variants timed at every shape.
    public static let variants: [(name: String, bits: Int, granularity: WeightGranularity)] = [
        ("W8A8", 8, .perChannel), ("W4A4", 4, .perChannel), ("W4A4-g64", 4, .group64),
    ]

    /// Times every variant on every path at every shape, plus sgemm (OpenBLAS set to `threads`
    /// threads during the run and back to 1 afterwards) and the single-thread peak loops.
    /// - Parameters:
    ///   - paths: integer paths to time (default: the best one).
    ///   - repetitions: timed samples per measurement (best kept), after one warm-up call.
    ///   - sampleSeconds: minimum length of one timed sample (short calls are repeated inside it).
    public static func run(shapes: [KernelBenchShape] = defaultShapes, threads: Int = 1,
                           paths: [KernelPath] = [KernelPath.best], repetitions: Int = 5,
                           sampleSeconds: Double = 0.02) throws -> KernelBenchReport {
        for path in paths where !path.isSupported { throw KernelError.unsupportedPath(path) }
        guard threads >= 1 else { throw KernelError.invalidArgument("benchmark threads \(threads) must be ≥ 1") }
        let peaks = peakRows(paths: paths.map(\.resolved), sampleSeconds: sampleSeconds)
        let zmmPeak = peaks.first { $0.name.hasPrefix("vpdpbusd zmm") }?.gops
        let ymmPeak = peaks.first { $0.name.hasPrefix("vpdpbusd ymm") }?.gops
        openblas_set_num_threads(Int32(threads))
        var rows = [KernelBenchRow]()
        for shape in shapes {
            var rng = BenchRNG(seed: UInt64(shape.m &* 31 &+ shape.n &* 7 &+ shape.k))
            let x = rng.matrix(count: shape.m * shape.k)
            let w = rng.matrix(count: shape.n * shape.k)
            let sgemmSeconds = timeSGEMM(x: x, w: w, shape: shape, repetitions: repetitions, sampleSeconds: sampleSeconds)
            let sgemmGFLOPS = shape.operations / sgemmSeconds / 1e9
            rows.append(KernelBenchRow(shape: shape, variant: "FP32 sgemm", path: nil, threads: threads,
                                       kernelSeconds: sgemmSeconds, endToEndSeconds: nil,
                                       speedupOverSGEMM: 1, percentOfPeak: nil))
            for variant in variants {
                let weights = try PackedLinearWeights(weights: w, outFeatures: shape.n, inFeatures: shape.k,
                                                      bits: variant.bits, granularity: variant.granularity)
                for path in paths {
                    let (kernel, endToEnd) = try timeInteger(x: x, weights: weights, shape: shape, path: path,
                                                             threads: threads, repetitions: repetitions,
                                                             sampleSeconds: sampleSeconds)
                    let gops = shape.operations / kernel / 1e9
                    let peak: Double? = switch path.resolved {
                    case .avx512VNNI: zmmPeak
                    case .avxVNNI: ymmPeak
                    default: nil
                    }
                    rows.append(KernelBenchRow(
                        shape: shape, variant: variant.name, path: path.resolved, threads: threads,
                        kernelSeconds: kernel, endToEndSeconds: endToEnd, speedupOverSGEMM: gops / sgemmGFLOPS,
                        percentOfPeak: peak.map { 100 * gops / ($0 * Double(threads)) }))
                }
            }
        }
        openblas_set_num_threads(1)
        return KernelBenchReport(rows: rows, peaks: peaks, threads: threads,
                                 openBLASCore: String(cString: openblas_get_corename()),
                                 cpuPaths: KernelPath.supported)
    }

    /// Single-thread dpbusd peaks (zmm, ymm if supported) and the micro-kernel alone at K = 256.
    public static func peakRows(paths: [KernelPath], sampleSeconds: Double = 0.02) -> [KernelPeakRow] {
        var rows = [KernelPeakRow]()
        var widthPeak = [Int32: Double]()
        for (width, path, name) in [(Int32(512), KernelPath.avx512VNNI, "vpdpbusd zmm peak"),
                                    (256, .avxVNNI, "vpdpbusd ymm peak")] where path.isSupported {
            let gops = bestRate(sampleSeconds: sampleSeconds) { iterations in
                var macs: Int64 = 0
                blackHole(qvk_dpbusd_peak(width, iterations, &macs))
                return macs
            }
            widthPeak[width] = gops
            rows.append(KernelPeakRow(name: name, path: path, gops: gops, percentOfPeak: nil))
        }
        for path in paths where path != .scalar {
            for bits in [8, 4] {
                let gops = bestRate(sampleSeconds: sampleSeconds) { iterations in
                    var macs: Int64 = 0
                    blackHole(qvk_tile_loop(path.cValue, Int32(bits), 256, iterations, &macs))
                    return macs
                }
                let peak: Double? = path == .avx512VNNI ? widthPeak[512] : path == .avxVNNI ? widthPeak[256] : nil
                rows.append(KernelPeakRow(name: "micro-kernel W\(bits) 6×64 K=256", path: path, gops: gops,
                                          percentOfPeak: peak.map { 100 * gops / $0 }))
            }
        }
        return rows
    }

    // MARK: timing

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) * 1e-9 }

    /// Best seconds per call of `body` over `repetitions` samples of ≥ `sampleSeconds` each, after a warm-up.
    static func bestSeconds(repetitions: Int, sampleSeconds: Double, _ body: () throws -> Void) rethrows -> Double {
        let start = now()
        try body()
        let once = max(now() - start, 1e-7)
        let inner = max(1, min(1000, Int(sampleSeconds / once)))
        var best = Double.infinity
        for _ in 0..<max(1, repetitions) {
            let t0 = now()
            for _ in 0..<inner { try body() }
            best = min(best, (now() - t0) / Double(inner))
        }
        return best
    }

    /// GOP/s (2 ops per MAC) of a loop that reports its MACs: 8 runs, growing until one lasts
    /// `sampleSeconds`; the best rate is kept.
    static func bestRate(sampleSeconds: Double, _ run: (Int64) -> Int64) -> Double {
        var iterations: Int64 = 16
        var best = 0.0
        for _ in 0..<8 {
            let t0 = now()
            let macs = run(iterations)
            let dt = now() - t0
            guard macs > 0 else { return 0 }
            best = max(best, 2 * Double(macs) / dt / 1e9)
            if dt < sampleSeconds { iterations *= 4 }
        }
        return best
    }

    static func timeSGEMM(x: [Float], w: [Float], shape: KernelBenchShape, repetitions: Int,
                          sampleSeconds: Double) -> Double {
        var y = [Float](repeating: 0, count: shape.m * shape.n)
        return x.withUnsafeBufferPointer { xp in
            w.withUnsafeBufferPointer { wp in
                y.withUnsafeMutableBufferPointer { yp in
                    bestSeconds(repetitions: repetitions, sampleSeconds: sampleSeconds) {
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(shape.m), Int32(shape.n),
                                    Int32(shape.k), 1, xp.baseAddress, Int32(shape.k), wp.baseAddress,
                                    Int32(shape.k), 0, yp.baseAddress, Int32(shape.n))
                    }
                }
            }
        }
    }

    static func timeInteger(x: [Float], weights: PackedLinearWeights, shape: KernelBenchShape, path: KernelPath,
                            threads: Int, repetitions: Int,
                            sampleSeconds: Double) throws -> (kernel: Double, endToEnd: Double) {
        var y = [Float](repeating: 0, count: shape.m * shape.n)
        let acts = try QuantizedActivations(x, rows: shape.m, columns: shape.k, bits: weights.bits,
                                            granularity: weights.granularity, path: path, threads: threads)
        let kernel = try bestSeconds(repetitions: repetitions, sampleSeconds: sampleSeconds) {
            try IntegerGEMM.matmul(acts, weights: weights, path: path, threads: threads, into: &y)
        }
        let endToEnd = try bestSeconds(repetitions: repetitions, sampleSeconds: sampleSeconds) {
            let a = try QuantizedActivations(x, rows: shape.m, columns: shape.k, bits: weights.bits,
                                             granularity: weights.granularity, path: path, threads: threads)
            try IntegerGEMM.matmul(a, weights: weights, path: path, threads: threads, into: &y)
        }
        return (kernel, endToEnd)
    }

    /// Keeps a checksum observable so the measured loop is not optimized away.
    @inline(never) static func blackHole(_ value: Int64) {
        if value == 0x7FFF_FFFF_FFFF_FFFE { print("checksum \(value)") }
    }
}

/// SplitMix64 for benchmark inputs (QVKernels does not depend on QVTensor's generator).
struct BenchRNG {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [−1, 1).
    mutating func matrix(count: Int) -> [Float] {
        (0..<count).map { _ in Float(next() >> 40) / 8_388_608 - 1 }
    }
}
