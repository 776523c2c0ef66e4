import Foundation
import Testing
import QVData
import QVModels
@testable import QVQuant

/// Prints (and writes) the PTQ comparison table for real teachers. Excluded from normal test runs:
/// set `QV_PTQ_TABLE=1` and run in release, e.g.
///
///     QV_PTQ_TABLE=1 swift test -c release --filter PTQTableRunner
///
/// Knobs (environment): `QV_PTQ_TEACHERS` comma-separated checkpoint paths (default: the wan-s and
/// cogx-s teachers shipped in fixtures/teachers), `QV_PTQ_OUT` Markdown output path,
/// `QV_PTQ_CAPTIONS` calibration captions (default 8), `QV_PTQ_STEPS` sampling steps (default 20).
@Suite struct PTQTableRunner {
    static var enabled: Bool { ProcessInfo.processInfo.environment["QV_PTQ_TABLE"] == "1" }

    /// Caption ids through the model's own vocabulary (the tokenizer it was trained with).
    static func ids(_ text: String, model: ReferenceModel) throws -> [Int] {
        let words = CaptionTokenizer.words(in: text)
        var out = [Int](repeating: 0, count: model.config.textLength)
        for (k, w) in words.prefix(model.config.textLength).enumerated() {
            guard let id = model.vocabulary.firstIndex(of: w) else {
                throw PTQError.invalidOption("caption word '\(w)' is not in the model's vocabulary")
            }
            out[k] = id
        }
        return out
    }

    /// Prints a line and flushes (stdout is block-buffered when redirected to a log file).
    static func say(_ line: String) {
        print(line)
        fflush(nil)  // all streams: stdout itself is not concurrency-safe to name in Swift 6
    }

    @Test(.enabled(if: enabled)) func printTable() throws {
        let env = ProcessInfo.processInfo.environment
        let paths = (env["QV_PTQ_TEACHERS"] ?? "fixtures/teachers/wan-s.safetensors,fixtures/teachers/cogx-s.safetensors")
            .split(separator: ",").map(String.init)
        let captionCount = Int(env["QV_PTQ_CAPTIONS"] ?? "") ?? 8
        let steps = Int(env["QV_PTQ_STEPS"] ?? "") ?? 20
        // Training captions (never evaluation prompts): calibration and a held-out set.
        let captions = try MotionShapesPrompts.trainingCaptions(count: captionCount + 4, seed: 0xCA11B)
        var rows: [PTQTable.Row] = []
        for path in paths {
            let model = try ReferenceModel.load(from: path)
            let calibrationIds = try captions.prefix(captionCount).map { try Self.ids($0.render(), model: model) }
            let heldOutIds = try captions.suffix(4).map { try Self.ids($0.render(), model: model) }
            let seeds = (0..<UInt64(captionCount)).map { 1000 + $0 }
            var t0 = Date()
            let (calibration, evaluation) = PostTrainingQuantization.calibrate(model: model, tokens: calibrationIds, seeds: seeds,
                                                                               steps: steps, stride: 4)
            let heldOut = PTQEvaluationSet(model: model, inputs: Calibration.trajectoryInputs(
                model: model, tokens: heldOutIds, seeds: [1, 2, 3, 4], steps: steps, stride: 4))
            Self.say("PTQ table: \(model.config.name) calibrated in \(String(format: "%.1f", Date().timeIntervalSince(t0))) s, "
                  + "\(evaluation.inputs.count) calibration inputs, \(heldOut.inputs.count) held-out inputs")
            t0 = Date()
            rows += try PTQTable.evaluate(model: model, calibration: calibration, evaluation: evaluation, heldOut: heldOut,
                                          methods: [.rtn, .viditq(ViDiTQOptions()), .svdquant(SVDQuantOptions())],
                                          log: { Self.say($0) })
            var mp = ViDiTQOptions()
            mp.mixedPrecisionLayers = 4
            rows += try PTQTable.evaluate(model: model, calibration: calibration, evaluation: evaluation, heldOut: heldOut,
                                          methods: [.viditq(mp), .viditq(ViDiTQOptions(hadamard: true)),
                                                    .viditq(ViDiTQOptions(timestepAware: false)), .svdquant(SVDQuantOptions(rank: 8))],
                                          configurations: Array(PTQTable.standardConfigurations[1...2]),
                                          variants: ["viditq+mp4", "viditq+hadamard", "viditq-static", "svdquant-r8"], log: { Self.say($0) })
            Self.say("PTQ table: \(model.config.name) done in \(String(format: "%.0f", Date().timeIntervalSince(t0))) s")
        }
        let table = PTQTable.markdown(rows)
        print(table)
        if let out = env["QV_PTQ_OUT"] { try table.write(toFile: out, atomically: true, encoding: .utf8) }
        #expect(rows.allSatisfy { $0.relativeError.isFinite })
    }
}
