import Foundation
import QVData
import QVKernels
import QVMedia
import QVMetrics
import QVModels
import QVQuant
import QVTensor
import Synchronization

/// The real cell executor: teacher → method (PTQ or QAT) → sampler → frames → metrics, plus the
/// latency and kernel cells of the efficiency suite. Safe to call from several workers at once.
public final class QVBenchExecutor: CellExecutor, @unchecked Sendable {
    /// Teacher checkpoint hashes by path (computed once).
    let hashes = Mutex<[String: String]>([:])
    let classifier = Mutex<SceneClassifier?>(nil)
    /// Version of the data pipeline baked into cell keys; bump when MotionShapes rendering changes.
    public static let dataVersion = "motionshapes-v1"
    /// Version of the metric definitions baked into cell keys, so a cache never serves scores of an
    /// older definition; bump when a metric changes (v2: overall consistency measures the motion of the
    /// caption's object, not of every object).
    public static let metricsVersion = "vbench-proxies-v2"

    public init() {}

    public func inputs(for configuration: CellConfiguration) throws -> CellInputs {
        guard configuration.task != "kernel" else { return CellInputs(["kernels": "qvk-v1"]) }
        guard configuration.task == "quality" else { return CellInputs(["latency": "v1"]) }
        let path = try ModelStore.resolve(model: configuration.model)
        let digest: String
        if let known = hashes.withLock({ $0[path] }) {
            digest = known
        } else {
            guard let data = FileManager.default.contents(atPath: path) else { throw HarnessError.io(path: path, reason: "cannot read") }
            digest = SHA256.hex(data)
            hashes.withLock { $0[path] = digest }
        }
        // The OpenBLAS kernel family changes summation order, hence the last bits of every score.
        var entries = ["teacher": digest, "data": Self.dataVersion, "metrics": Self.metricsVersion,
                       "blas": ComputeThreads.blasCore]
        // A family's default guidance interval is part of what "default guidance" samples with (keys of
        // families that guide every step, as DESIGN.md's sampler does, are unchanged).
        if let family = ModelFamily(presetName: configuration.model),
           !family.defaultGuidanceInterval.coversEveryStep {
            entries["guidance_interval"] = family.defaultGuidanceInterval.description
        }
        return CellInputs(entries)
    }

    public func run(_ cell: Cell, directory: String, progress: (String) -> Void) throws -> CellResult {
        let c = cell.configuration
        switch c.task {
        case "kernel": return try runKernel(c)
        case "latency": return try runLatency(c)
        default: return try runQuality(c, directory: directory, progress: progress)
        }
    }

    func sceneClassifier() throws -> SceneClassifier {
        if let c = classifier.withLock({ $0 }) { return c }
        let fitted = try motionShapesSceneClassifier()
        classifier.withLock { $0 = fitted }
        return fitted
    }

    func runQuality(_ c: CellConfiguration, directory: String, progress: (String) -> Void) throws -> CellResult {
        guard let evaluation = c.evaluation else { throw HarnessError.invalid("quality cell without evaluation settings") }
        var timings: [String: Double] = [:], metrics: [String: Double] = [:], artefacts: [String: String] = [:]
        let teacher = try ModelStore.load(model: c.model)
        var t0 = Stopwatch.now()
        let model = try MethodApplication(configuration: c).apply(to: teacher, directory: directory, metrics: &metrics,
                                                                  artefacts: &artefacts, progress: progress)
        timings["method"] = Stopwatch.now() - t0
        t0 = Stopwatch.now()
        let outcome = try QualityEvaluation(settings: evaluation).run(model: model, classifier: sceneClassifier(), progress: progress)
        timings["sample_and_score"] = Stopwatch.now() - t0
        metrics.merge(outcome.metrics) { a, _ in a }
        let summary = ModelQuantization.summary(of: model.dit)
        metrics[MetricNames.modelBytes] = Double(summary.deployBytes)
        metrics[MetricNames.extraParams] = Double(summary.extraParameters)
        // Contact sheet: one sample of each of the first prompts (the paper's Fig. 1 rows per method).
        let step = Swift.max(evaluation.samples, 1)
        let picks = stride(from: 0, to: outcome.clips.count, by: step).prefix(4)
        let sheet = try ContactSheet.render(rows: picks.map { ContactSheetRow(label: outcome.captions[$0], clip: outcome.clips[$0]) },
                                            title: "\(c.model) \(c.method) W\(c.w)A\(c.a)")
        try PNGFile.write(sheet, to: directory + "/samples.png")
        artefacts["samples"] = "samples.png"
        return CellResult(metrics: metrics, timings: timings, artefacts: artefacts)
    }

    func runLatency(_ c: CellConfiguration) throws -> CellResult {
        let grouped = (c.knobs["group"]?.doubleValue ?? 0) > 0
        let mode: StepLatency.Mode = c.method == "fp" ? .fp32 : (c.w >= 8 ? .w8a8 : (grouped ? .w4a4Group64 : .w4a4))
        guard c.method == "fp" || c.method == "rtn" else {
            throw HarnessError.invalid("latency cells time FP and round-to-nearest grids; use method rtn (any method deploys the same kernels)")
        }
        let r = try StepLatency(model: c.model, mode: mode).run()
        return CellResult(metrics: [MetricNames.latencyMs: r.millisecondsPerStep, MetricNames.modelBytes: Double(r.weightBytes)])
    }

    func runKernel(_ c: CellConfiguration) throws -> CellResult {
        guard let shape = c.kernel else { throw HarnessError.invalid("kernel cell without a shape") }
        let s = KernelBenchShape(m: shape.m, n: shape.n, k: shape.k, label: c.method)
        let report = try KernelBenchmark.run(shapes: [s], threads: 1, repetitions: 3)
        let variant: String
        switch c.method {
        case "fp32": variant = "FP32 sgemm"
        case "w8a8": variant = "W8A8"
        case "w4a4": variant = "W4A4"
        default: variant = "W4A4-g64"
        }
        guard let row = report.rows.first(where: { $0.variant == variant }) else {
            throw HarnessError.invalid("kernel benchmark produced no \(variant) row for \(shape)")
        }
        return CellResult(metrics: [MetricNames.gemmMs: row.kernelSeconds * 1e3, "gops": row.kernelGOPS])
    }
}
