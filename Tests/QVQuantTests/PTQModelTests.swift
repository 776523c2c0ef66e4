import Testing
@testable import QVModels
@testable import QVQuant
import QVTensor

@Suite struct PTQModelTests {
    static let fastViDiT = ViDiTQOptions(alphas: [0.25, 0.5, 0.75], hadamard: false)
    static let fastSVD = SVDQuantOptions(rank: 4, alphas: [0.25, 0.5], betas: [0.25, 0.5], refinementIterations: 2)

    @Test(arguments: [(true, ModelFamily.wan), (false, .wan), (true, .cogx), (false, .cogx)])
    func methodFoldingLeavesTheFullPrecisionDiTUnchanged(svd: Bool, family: ModelFamily) throws {
        let model = PTQFixtures.tinyModel(family: family)
        let cal = PTQFixtures.calibration(model)
        let eval = PTQFixtures.evaluation(model)
        // 16-bit weights, full-precision activations: only the folded transforms (balancing, Hadamard,
        // low-rank split) are exercised; the DiT must produce the teacher's outputs.
        let spec = PTQFixtures.spec(16, nil)
        let method: PTQMethod = svd ? .svdquant(Self.fastSVD) : .viditq(ViDiTQOptions(alphas: [0.5], hadamard: true))
        let report = try PostTrainingQuantization.apply(method, to: model, spec: spec, calibration: cal)
        let quantizers = ModelQuantization.quantizers(of: model.dit)
        #expect(quantizers.count == model.dit.quantizableLinears.count)
        #expect(quantizers.allSatisfy { $0.1.foldedWeight != nil })
        if svd { #expect(quantizers.allSatisfy { $0.1.lowRank != nil && $0.1.smoothing != nil }) }
        else { #expect(report.layers.allSatisfy { $0.hadamard }) }
        let err = Calibration.relativeOutputError(model: model, at: eval.inputs, reference: eval.reference)
        #expect(err < 1e-7)
    }

    @Test func everyMethodIsBetterAtW8A8ThanAtW4A4() throws {
        let model = PTQFixtures.tinyModel(seed: 8)
        let cal = PTQFixtures.calibration(model)
        let eval = PTQFixtures.evaluation(model)
        for method in [PTQMethod.rtn, .viditq(Self.fastViDiT), .svdquant(Self.fastSVD)] {
            var errors: [Double] = []
            for spec in [PTQFixtures.spec(8, 8), PTQFixtures.spec(4, 4)] {
                _ = try PostTrainingQuantization.apply(method, to: model, spec: spec, calibration: cal)
                errors.append(Calibration.relativeOutputError(model: model, at: eval.inputs, reference: eval.reference))
            }
            print("PTQ tiny model \(method.name): W8A8 \(errors[0]), W4A4 \(errors[1])")
            #expect(errors[0] < errors[1], "\(method.name)")
            #expect(errors[0] < 0.02, "\(method.name) W8A8 should be near lossless")
        }
    }

    @Test func methodsDoNotLoseToRTNOnTheirOwnCriterion() throws {
        let model = PTQFixtures.tinyModel(seed: 9)
        let cal = PTQFixtures.calibration(model)
        let spec = PTQFixtures.spec(4, 6)
        // ViDiT-Q (non-timestep-aware, so its criterion is the plain error) includes "no balancing" in
        // its search, so each layer's error cannot exceed RTN's.
        let v = try PostTrainingQuantization.apply(.viditq(ViDiTQOptions(alphas: [0.5], timestepAware: false)), to: model,
                                                   spec: spec, calibration: cal)
        for l in v.layers { #expect(l.error <= l.rtnError * (1 + 1e-9), "\(l.layer)") }
        let s = try PostTrainingQuantization.apply(.svdquant(Self.fastSVD), to: model, spec: spec, calibration: cal)
        #expect(s.layers.allSatisfy { $0.rank == 4 && $0.alpha != nil && $0.beta != nil })
    }

    @Test func mixedPrecisionKeepsExactlyKLayersAtEightBits() throws {
        let model = PTQFixtures.tinyModel(seed: 10)
        let cal = PTQFixtures.calibration(model)
        let eval = PTQFixtures.evaluation(model)
        var options = ViDiTQOptions(alphas: [0.5])
        options.mixedPrecisionLayers = 3
        let report = try PostTrainingQuantization.apply(.viditq(options), to: model, spec: PTQFixtures.spec(4, 4),
                                                        calibration: cal, evaluation: eval)
        let quantizers = ModelQuantization.quantizers(of: model.dit)
        let eight = quantizers.filter { $0.1.spec.weight.bits == 8 && $0.1.spec.activation?.bits == 8 }.map(\.0)
        #expect(eight.count == 3)
        #expect(quantizers.filter { $0.1.spec.weight.bits == 4 }.count == quantizers.count - 3)
        #expect(Set(eight) == Set(report.highPrecisionLayers))
        // They are the three largest sensitivities.
        let sens = report.layers.compactMap { l in l.sensitivity.map { (l.layer, $0) } }
        #expect(sens.count == quantizers.count)
        let top = Set(sens.sorted { $0.1 > $1.1 }.prefix(3).map(\.0))
        #expect(top == Set(eight))
    }

    @Test func badInputsThrowNamedErrors() throws {
        let model = PTQFixtures.tinyModel()
        var cal = PTQFixtures.calibration(model)
        let missing = model.dit.quantizableLinears[2].0
        cal.layers[missing] = nil
        #expect { try PostTrainingQuantization.apply(.rtn, to: model, spec: PTQFixtures.spec(8, 8), calibration: cal) }
            throws: { "\($0)".contains(missing) }
        let full = PTQFixtures.calibration(model)
        var mp = ViDiTQOptions()
        mp.mixedPrecisionLayers = 2
        #expect(throws: PTQError.self) {
            try PostTrainingQuantization.apply(.viditq(mp), to: model, spec: PTQFixtures.spec(4, 4), calibration: full)
        }
        #expect { try PostTrainingQuantization.apply(.rtn, to: model, spec: PTQFixtures.spec(4, 4, group: 64), calibration: full) }
            throws: { "\($0)".contains("does not divide") }
    }

    @Test func tableRowsMeasureTheInstalledModelAndRestoreFullPrecision() throws {
        let model = PTQFixtures.tinyModel(seed: 14)
        let cal = PTQFixtures.calibration(model)
        let eval = PTQFixtures.evaluation(model)
        let configs = [PTQTable.Configuration(label: "W8A8", spec: PTQFixtures.spec(8, 8)),
                       PTQTable.Configuration(label: "W4A4", spec: PTQFixtures.spec(4, 4))]
        let rows = try PTQTable.evaluate(model: model, calibration: cal, evaluation: eval, heldOut: eval, methods: [.rtn],
                                         configurations: configs)
        #expect(rows.count == 2)
        #expect(ModelQuantization.quantizers(of: model.dit).isEmpty)
        // Re-measure W4A4 RTN independently.
        _ = try PostTrainingQuantization.apply(.rtn, to: model, spec: PTQFixtures.spec(4, 4), calibration: cal)
        let err = Calibration.relativeOutputError(model: model, at: eval.inputs, reference: eval.reference)
        #expect(rows[1].relativeError == err && rows[1].heldOutError == err)
        #expect(rows[1].deployBytes == ModelQuantization.summary(of: model.dit).deployBytes)
        #expect(rows[0].deployBytes > rows[1].deployBytes)
        let md = PTQTable.markdown(rows)
        #expect(md.split(separator: "\n").count == 4 && md.contains("| rtn | W4A4 |"))
    }
}
