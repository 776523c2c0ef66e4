import Foundation
import QVData
import QVMedia
import QVMetrics
import QVModels

/// Samples a model on the suite's evaluation prompts and scores the clips with the VBench-style
/// proxies (the eight columns of the paper's tables), plus an FVD-style distance to the rendered
/// ground truth of the same prompts.
struct QualityEvaluation {
    let settings: EvaluationSettings

    /// The (caption, seed) requests: the first `prompts` MotionShapes evaluation prompts × `samples` seeds
    /// offset by the suite's base seed.
    var requests: [(GenerationRequest, Caption)] {
        MotionShapesPrompts.evaluationSuite.prefix(settings.prompts).flatMap { p in
            p.seeds.prefix(settings.samples).map { (GenerationRequest(caption: p.text, seed: $0 &+ UInt64(settings.seed)), p.caption) }
        }
    }

    struct Outcome {
        var metrics: [String: Double]
        var clips: [VideoClip]
        var captions: [String]
    }

    func run(model: ReferenceModel, classifier: SceneClassifier, progress: (String) -> Void) throws -> Outcome {
        let reqs = requests
        let generator = try ClipGenerator(model: model, steps: settings.steps, guidance: settings.guidance.map(Float.init))
        let clips = try withoutActuallyEscaping(progress) { progress in
            try generator.generate(reqs.map(\.0)) { done, total in progress("sampling \(done)/\(total)") }
        }
        progress("scoring \(clips.count) clips")
        let inputs = zip(clips, reqs).enumerated().map { i, pair in
            MetricSuite.Input(name: "\(i):\(pair.1.0.caption)", clip: pair.0, expectation: ClipExpectation(caption: pair.1.1))
        }
        let truth = try MotionShapesDataset.evaluation(promptCount: settings.prompts, samplesPerPrompt: settings.samples)
        let reference = try (0..<truth.count).map { try truth.example($0).clip }
        let report = try MetricSuite().report(inputs, sceneClassifier: classifier, fvdReference: reference.count > 1 ? reference : [])
        var metrics: [String: Double] = [:]
        for (d, v) in report.summary.values { metrics[d.rawValue] = v / 100 }
        if let fvd = report.fvd { metrics["fvd"] = fvd }
        if let ratio = report.summary.dynamicPairRatio { metrics["dynamic_pair_ratio"] = ratio / 100 }
        return Outcome(metrics: metrics, clips: clips, captions: reqs.map(\.0.caption))
    }
}
