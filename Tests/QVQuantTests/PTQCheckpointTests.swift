import Foundation
import Testing
@testable import QVModels
@testable import QVQuant
import QVTensor

@Suite struct PTQCheckpointTests {
    func temporaryPath(_ name: String) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qvquant-ptq-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }

    @Test(arguments: ["svdquant", "viditq-hadamard", "rtn-g16"])
    func reloadedQuantizedModelIsBitIdentical(kind: String) throws {
        let model = PTQFixtures.tinyModel(seed: 12)
        let cal = PTQFixtures.calibration(model)
        let eval = PTQFixtures.evaluation(model)
        let (method, spec): (PTQMethod, QuantizationSpec) = switch kind {
        case "svdquant": (.svdquant(SVDQuantOptions(rank: 4, alphas: [0.5], betas: [0.5], refinementIterations: 1)), PTQFixtures.spec(4, 4))
        case "viditq-hadamard": (.viditq(ViDiTQOptions(alphas: [0.5], hadamard: true)), PTQFixtures.spec(4, 6))
        default: (.rtn, PTQFixtures.spec(4, 4, group: 16))
        }
        let report = try PostTrainingQuantization.apply(method, to: model, spec: spec, calibration: cal)
        let before = Calibration.predictions(model: model, at: eval.inputs)
        let path = temporaryPath("\(kind).safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try QuantizedCheckpoint.save(model, report: report, to: path)
        let (loaded, loadedReport) = try QuantizedCheckpoint.load(from: path)
        #expect(loadedReport == report)
        #expect(ModelQuantization.quantizers(of: loaded.dit).count == model.dit.quantizableLinears.count)
        #expect(ModelQuantization.summary(of: loaded.dit) == ModelQuantization.summary(of: model.dit))
        let after = Calibration.predictions(model: loaded, at: eval.inputs)
        #expect(before.count == after.count)
        for (a, b) in zip(before, after) { #expect(a.map(\.bitPattern) == b.map(\.bitPattern)) }
        // The quantized outputs differ from the teacher's (the state really was restored, not dropped).
        #expect(Calibration.relativeOutputError(model: loaded, at: eval.inputs, reference: eval.reference) > 0)
    }

    @Test func damagedCheckpointsAreRejectedByName() throws {
        let model = PTQFixtures.tinyModel(seed: 13)
        let cal = PTQFixtures.calibration(model)
        _ = try PostTrainingQuantization.apply(.svdquant(SVDQuantOptions(rank: 2, alphas: [0.5], betas: [0.5], refinementIterations: 0)),
                                               to: model, spec: PTQFixtures.spec(4, 4), calibration: cal)
        var file = try QuantizedCheckpoint.file(of: model)
        let layer = model.dit.quantizableLinears[0].0
        _ = file.remove(named: "qvquant.\(layer).low_rank_l2")
        #expect { try QuantizedCheckpoint.load(file: file, path: "x.safetensors") }
            throws: { "\($0)".contains("low_rank_l2") && "\($0)".contains("x.safetensors") }
        // A plain teacher checkpoint is not a quantized one.
        let plain = try PTQFixtures.tinyModel().checkpoint()
        #expect { try QuantizedCheckpoint.load(file: plain, path: "teacher.safetensors") }
            throws: { "\($0)".contains("qvquant.layers") }
    }
}
