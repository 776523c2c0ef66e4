import Testing
@testable import QVKernels
@testable import QVModels
@testable import QVQuant
@testable import QVTensor

@Suite struct DeployTests {
    @Test(arguments: [(8, 8, nil as Int?), (4, 4, nil), (4, 4, 64)])
    func deployedDiTMatchesFakeQuantization(wbits: Int, abits: Int, group: Int?) throws {
        let (teacher, data) = try tinyTeacher(.wan)
        let model = try teacher.copy()
        let spec = QuantizationSpec(weight: WeightQuantSpec(bits: wbits, groupSize: group),
                                    activation: ActivationQuantSpec(bits: abits, groupSize: group, learnClip: true))
        let installed = ModelQuantization.install(on: model.dit, spec: spec)
        // Non-trivial clipping so the deployed activation quantizer must reproduce it.
        for (_, q) in installed { q.clipLogits!.data = [2.0, 1.5] }
        let inputs = (0..<2).map { i in DiTInput(latents: data.latents[i], timestep: Float(300 + 400 * i), tokens: data.tokens[i]) }
        let fake = Calibration.predictions(model: model, at: inputs)
        let bytes = ModelQuantization.summary(of: model.dit).deployBytes
        #expect(try ModelQuantization.deploy(model.dit) == installed.count)
        let deployed = Calibration.predictions(model: model, at: inputs)
        var num: Float = 0, den: Float = 0
        for (a, b) in zip(fake.joined(), deployed.joined()) { num += (a - b) * (a - b); den += a * a }
        #expect(num / den < 1e-6, "relative error \(num / den)")
        #expect(ModelQuantization.summary(of: model.dit).deployBytes == bytes)
    }
}
