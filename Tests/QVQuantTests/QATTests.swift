import Foundation
import Testing
@testable import QVModels
@testable import QVQuant
@testable import QVTensor

/// Random latent clips with fixed captions.
struct RandomClips: LatentClipSource {
    let latents: [[Float]], tokens: [[Int]]
    var count: Int { latents.count }
    func example(_ index: Int) -> (latents: [Float], tokens: [Int]) { (latents[index], tokens[index]) }
}

/// A tiny perturbed teacher (2 frames) and data, shared by the QAT tests.
func tinyTeacher(_ family: ModelFamily = .wan, seed: UInt64 = 1) throws -> (ReferenceModel, RandomClips) {
    var c = try DiTConfig.preset("\(family.rawValue)-xs", vocabularySize: 8, textLength: 4)
    c.frames = 2
    let d = c.pixelsPerLatent * c.pixelsPerLatent * 3
    var rng = SeededGenerator(seed: seed)
    var basis = [Float](repeating: 0, count: c.latentChannels * d)
    for k in 0..<c.latentChannels { basis[k * d + k] = 1 }
    let codec = LatentCodec(patch: c.pixelsPerLatent, channels: c.latentChannels, mean: [Float](repeating: 0.5, count: d),
                            basis: basis, scale: [Float](repeating: 0.2, count: c.latentChannels))
    let m = ReferenceModel(config: c, codec: codec, vocabulary: (0..<8).map { "w\($0)" }, seed: seed)
    for (_, p) in m.namedParameters { for i in 0..<p.count { p.data[i] += 0.1 * rng.normal() } }
    let data = RandomClips(latents: (0..<16).map { _ in (0..<c.latentCount).map { _ in rng.normal() } },
                           tokens: (0..<16).map { _ in [3 + rng.nextInt(below: 5), 3 + rng.nextInt(below: 5), 0, 0] })
    return (m, data)
}

let w4a4 = QuantizationSpec(weight: WeightQuantSpec(bits: 4), activation: ActivationQuantSpec(bits: 4))

@Suite struct RankDecayTests {
    @Test func rankSequencesAndEqualPhases() {
        let s = RankDecaySchedule(initialRank: 32, shrinkRatio: 0.5, totalSteps: 600)
        #expect(s.ranks == [32, 16, 8, 4, 2, 1, 0])
        #expect(s.phases == 6)
        #expect((0...6).map { s.phaseStart($0) } == [0, 100, 200, 300, 400, 500, 600])
        #expect(RankDecaySchedule(initialRank: 32, shrinkRatio: 1, totalSteps: 10).ranks == [32, 0])
        #expect(RankDecaySchedule(initialRank: 32, shrinkRatio: 0.75, totalSteps: 10).ranks == [32, 8, 2, 0])
        #expect(RankDecaySchedule(initialRank: 32, shrinkRatio: 0.25, totalSteps: 10).ranks == [32, 24, 18, 13, 9, 6, 4, 3, 2, 1, 0])
        #expect(RankDecaySchedule(initialRank: 0, shrinkRatio: 0.5, totalSteps: 10).phases == 0)
        #expect(s.rank(at: 0) == 32 && s.rank(at: 99) == 32 && s.rank(at: 100) == 16 && s.rank(at: 599) == 1)
    }

    @Test func gammaStartsAtOneAndEndsAtZeroInEveryPhase() {
        let s = RankDecaySchedule(initialRank: 32, shrinkRatio: 0.5, totalSteps: 600)
        for p in 0..<s.phases {
            #expect(s.gamma(at: s.phaseStart(p)) == 1)
            let last = s.phaseStart(p + 1) - 1
            #expect(s.gamma(at: last) < 0.001 && s.gamma(at: last) > 0)
        }
        let mask = s.mask(at: 150)  // phase 1: rank 16, top 8 pinned, 8 fading at γ(τ = 50 of 100) = 0.5
        #expect(mask.count == 16 && mask.prefix(8).allSatisfy { $0 == 1 } && mask.suffix(8).allSatisfy { Swift.abs($0 - 0.5) < 1e-6 })
    }
}

@Suite struct QATTests {
    @Test func phiInitialisationRecoversTheErrorUpToItsSVDResidual() throws {
        var rng = SeededGenerator(seed: 3)
        let l = Linear(48, 40, rng: &rng)
        let q = QuantizedLinear(base: l, spec: w4a4)
        let e = withNoGrad { zip(l.weight.data, q.quantizedWeight(base: l).data).map { $0 - $1 } }
        let phi = try AuxiliaryModule.fromError(e, rows: 40, cols: 48, rank: 8)
        let s = try Matrix(rows: 40, cols: 48, values: e).svd().s
        let residual = zip(e, phi.dense).reduce(Float(0)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        let dropped = s.dropFirst(8).reduce(Float(0)) { $0 + $1 * $1 }
        #expect(Swift.abs(residual - dropped) <= 1e-3 * Swift.max(dropped, 1e-6))
        #expect(try AuxiliaryModule.fromError(e, rows: 40, cols: 48, rank: 64).rank == 40, "rank capped at min(out, in)")
    }

    @Test(arguments: ["lsq", "q-dm", "efficientdm", "qvgen"])
    func shortRunLowersTheKDLossBelowItsStart(method name: String) throws {
        let (teacher, data) = try tinyTeacher()
        let settings = QATSettings(steps: 40, batch: 4, weightLR: 1e-3, quantizerLR: 1e-3, auxiliaryLR: 1e-3, loraLR: 3e-3,
                                   seed: 5, trajectoryCaptions: 4, trajectorySteps: 6)
        let trainer = try QATMethods.trainer(teacher: teacher, method: QATMethods.make(name, qvgen: QVGenOptions(rank: 8)),
                                             spec: w4a4, settings: settings, trajectoryTokens: data.tokens)
        let before = trainer.evaluationLoss(on: data)
        try trainer.run(on: data)
        let after = trainer.evaluationLoss(on: data)
        #expect(after < before, "\(name): KD loss \(before) → \(after)")
    }

    @Test func qvgenEndsAsAPlainQuantizedModel() throws {
        let (teacher, data) = try tinyTeacher(.cogx)
        let settings = QATSettings(steps: 12, batch: 2, seed: 6)
        let method = QVGenMethod(options: QVGenOptions(rank: 8, lambda: 0.5))
        let trainer = try QATMethods.trainer(teacher: teacher, method: method, spec: w4a4, settings: settings, trajectoryTokens: [])
        var ranks: [Double] = []
        try trainer.run(on: data) { ranks.append($0.extra["rank"] ?? -1) }
        #expect(Array(Set(ranks)).sorted() == [1, 2, 4, 8])
        let plain = try teacher.copy()
        ModelQuantization.install(on: plain.dit, spec: w4a4)
        let a = ModelQuantization.summary(of: trainer.student.dit), b = ModelQuantization.summary(of: plain.dit)
        #expect(a.extraParameters == 0)
        #expect(a.deployBytes == b.deployBytes)
        #expect(trainer.student.dit.namedBaseParameters().count == plain.dit.namedBaseParameters().count)
        #expect(ModelQuantization.quantizers(of: trainer.student.dit).allSatisfy { $0.1.auxiliary == nil })
    }

    @Test func efficientDMLoRAMergeLeavesOutputsUnchanged() throws {
        let (teacher, data) = try tinyTeacher()
        let settings = QATSettings(steps: 5, batch: 2, loraLR: 1e-2, seed: 7, trajectoryCaptions: 2, trajectorySteps: 4)
        let method = EfficientDMMethod(loraRank: 4)
        let trainer = try QATMethods.trainer(teacher: teacher, method: method, spec: w4a4, settings: settings, trajectoryTokens: data.tokens)
        while trainer.step < settings.steps { try trainer.trainStep(on: data) }
        let inputs = trainer.trajectories!.states
        let before = Calibration.predictions(model: trainer.student, at: inputs)
        #expect(ModelQuantization.quantizers(of: trainer.student.dit).allSatisfy { $0.1.lora != nil })
        try method.finish(student: trainer.student, optimizer: trainer.optimizer)
        let after = Calibration.predictions(model: trainer.student, at: inputs)
        #expect(ModelQuantization.quantizers(of: trainer.student.dit).allSatisfy { $0.1.lora == nil })
        for (x, y) in zip(before.joined(), after.joined()) { #expect(Swift.abs(x - y) <= 1e-4 * Swift.max(1, Swift.abs(x))) }
    }
}

@Suite struct QATResumeTests {
    @Test(arguments: ["lsq", "q-dm", "efficientdm", "qvgen", "qvgen-sparse", "qvgen-residual"])
    func resumedRunMatchesUninterrupted(variant: String) throws {
        ComputeThreads.setBLAS(1)  // bit-exact comparisons need a fixed BLAS thread count
        let (teacher, data) = try tinyTeacher()
        let settings = QATSettings(steps: 8, batch: 2, seed: 9, trajectoryCaptions: 2, trajectorySteps: 4)
        let decay: QVGenOptions.Decay = variant.hasSuffix("sparse") ? .sparse : (variant.hasSuffix("residual") ? .residual : .rank)
        func make() throws -> KDTrainer {
            let method = try QATMethods.make(variant.hasPrefix("qvgen") ? "qvgen" : variant,
                                             qvgen: QVGenOptions(rank: 4, lambda: 0.5, decay: decay), loraRank: 4)
            return try QATMethods.trainer(teacher: teacher, method: method, spec: w4a4, settings: settings, trajectoryTokens: data.tokens)
        }
        let straight = try make()
        try straight.run(on: data)
        let first = try make()
        for _ in 0..<5 { try first.trainStep(on: data) }  // past the first rank cut (phases of 8/3 steps)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("qat-\(variant)-\(getpid()).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try QATCheckpoint.save(first, to: path)
        let resumed = try make()
        try QATCheckpoint.restore(resumed, from: path)
        #expect(resumed.step == 5)
        try resumed.run(on: data)
        for ((name, a), (_, b)) in zip(straight.student.dit.namedParameters(), resumed.student.dit.namedParameters()) {
            #expect(a.data == b.data, "\(variant): \(name) differs after resume")
        }
    }
}

@Suite struct QATCheckpointOutputTests {
    @Test(arguments: ["lsq", "q-dm", "efficientdm", "qvgen"])
    func finishedStudentReloadsBitIdentically(method name: String) throws {
        ComputeThreads.setBLAS(1)
        let (teacher, data) = try tinyTeacher()
        let settings = QATSettings(steps: 6, batch: 2, seed: 10, trajectoryCaptions: 2, trajectorySteps: 4)
        let trainer = try QATMethods.trainer(teacher: teacher, method: QATMethods.make(name, qvgen: QVGenOptions(rank: 4), loraRank: 4),
                                             spec: w4a4, settings: settings, trajectoryTokens: data.tokens)
        try trainer.run(on: data)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("student-\(name)-\(getpid()).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try QuantizedCheckpoint.save(trainer.student, to: path)
        let reloaded = try QuantizedCheckpoint.load(from: path).model
        let inputs = (0..<2).map { DiTInput(latents: data.latents[$0], timestep: 400, tokens: data.tokens[$0]) }
        #expect(Calibration.predictions(model: trainer.student, at: inputs) == Calibration.predictions(model: reloaded, at: inputs))
    }
}
