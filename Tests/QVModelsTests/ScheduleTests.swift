import Foundation
import Testing
@testable import QVModels
@testable import QVTensor

@Suite struct ScheduleTests {
    @Test func flowScheduleClosedForm() {
        let s = FlowMatchingSchedule(shift: 3)
        let sig = s.sigmas(steps: 4)
        #expect(sig.first == 1 && sig.last == 0)
        // σ' = 3s/(1 + 2s) at s = 0.5 → 0.75.
        #expect(Swift.abs(sig[2] - 0.75) < 1e-6)
        let (xt, v) = s.noise(2, -1, at: 250)
        #expect(Swift.abs(xt - (0.75 * 2 + 0.25 * -1)) < 1e-6 && v == -3)
        #expect(s.samplingTimesteps(steps: 4).first == 1000)
    }

    @Test func eulerWithOracleVelocityRecoversData() {
        // Along the straight path the true velocity is ε − x₀ everywhere; Euler integrates it exactly.
        let s = FlowMatchingSchedule(shift: 3)
        let x0: [Float] = [0.3, -1.2, 2.0], eps: [Float] = [1, -0.5, 0.25]
        var x = eps
        for i in 0..<10 { s.step(&x, prediction: zip(eps, x0).map { $0 - $1 }, index: i, steps: 10) }
        for (a, b) in zip(x, x0) { #expect(Swift.abs(a - b) < 1e-5) }
    }

    @Test func vPredictionScheduleProperties() {
        let s = VPredictionSchedule(snrShift: 3)
        let ab = s.alphasCumprod
        #expect(ab.count == 1000)
        #expect(ab.last! == 0, "zero terminal SNR")
        #expect(zip(ab, ab.dropFirst()).allSatisfy { $0 > $1 }, "ᾱ strictly decreasing")
        // First value is the SNR-shifted scaled-linear ᾱ₀ = (1−β₀)/(3 − 2(1−β₀)).
        let a0 = 1 - 0.00085
        #expect(Swift.abs(Double(ab[0]) - a0 / (3 - 2 * a0)) < 1e-6)
        #expect(Array(s.samplingTimesteps(steps: 50).prefix(3)) == [999, 979, 959])
        #expect(s.samplingTimesteps(steps: 50).last == 19)
        // v-target closed form.
        let a = s.alphaBar(500)
        let (xt, v) = s.noise(1, 2, at: 500)
        #expect(Swift.abs(xt - (a.squareRoot() + 2 * (1 - a).squareRoot())) < 1e-6)
        #expect(Swift.abs(v - (2 * a.squareRoot() - (1 - a).squareRoot())) < 1e-6)
    }

    @Test func cogxPresetsUseShiftOneAndOldCheckpointsShiftThree() throws {
        var config = try DiTConfig.preset("cogx-s", vocabularySize: 10)
        #expect(config.snrShift == 1)
        let unshifted = try #require(config.schedule as? VPredictionSchedule)
        #expect(Swift.abs(Double(unshifted.alphasCumprod[0]) - (1 - 0.00085)) < 1e-6)
        config.snrShift = nil
        #expect((config.schedule as? VPredictionSchedule) == VPredictionSchedule(snrShift: 3))
        #expect(try DiTConfig.preset("wan-s", vocabularySize: 10).schedule is FlowMatchingSchedule)
    }

    @Test func ddimWithOracleVRecoversData() {
        let s = VPredictionSchedule()
        let x0: [Float] = [0.5, -0.7], eps: [Float] = [0.2, 1.1]
        let steps = 20, times = s.samplingTimesteps(steps: steps)
        var x = zip(x0, eps).map { s.noise($0, $1, at: times[0]).xt }
        for i in 0..<steps {
            // Oracle v for the current x_t: the (x₀, ε) pair is fixed along the DDIM path.
            let v = zip(x0, eps).map { s.noise($0, $1, at: times[i]).target }
            s.step(&x, prediction: v, index: i, steps: steps)
        }
        for (a, b) in zip(x, x0) { #expect(Swift.abs(a - b) < 1e-4) }
    }

    static let bothSchedules: [any NoiseSchedule] = [FlowMatchingSchedule(shift: 3), VPredictionSchedule(snrShift: 1)]

    /// At η = 0 the stochastic step is the deterministic one (Euler / DDIM), up to rounding.
    @Test func stochasticStepAtEtaZeroIsTheDeterministicStep() {
        var rng = SeededGenerator(seed: 21)
        for schedule in Self.bothSchedules {
            for index in [0, 7, 19] {
                let x = (0..<64).map { _ in rng.normal() }, v = (0..<64).map { _ in rng.normal() }
                var deterministic = x, stochastic = x
                schedule.step(&deterministic, prediction: v, index: index, steps: 20)
                schedule.stochasticStep(&stochastic, prediction: v, index: index, steps: 20, eta: 0,
                                        noise: (0..<64).map { _ in rng.normal() })
                for (a, b) in zip(deterministic, stochastic) { #expect(Swift.abs(a - b) < 1e-5, "\(type(of: schedule)) \(index)") }
            }
        }
    }

    /// With the exact prediction of a noised point (the oracle), a step at η = 1 lands on the marginal
    /// of the next timestep: α'·x₀ plus noise of standard deviation σ', fresh noise and kept noise together.
    @Test func stochasticStepWithTheOracleKeepsTheMarginal() {
        let n = 40_000
        for schedule in Self.bothSchedules {
            for index in [0, 10, 30] {
                var rng = SeededGenerator(seed: UInt64(index + 1))
                let x0 = (0..<n).map { _ in rng.normal() }, eps = (0..<n).map { _ in rng.normal() }
                let (a, s) = schedule.scales(index: index, steps: 40), (an, sn) = schedule.scales(index: index + 1, steps: 40)
                var x = zip(x0, eps).map { a * $0 + s * $1 }
                let t = schedule.samplingTimesteps(steps: 40)[index]
                let v = zip(x0, eps).map { schedule.noise($0, $1, at: t).target }
                schedule.stochasticStep(&x, prediction: v, index: index, steps: 40, eta: 1, noise: (0..<n).map { _ in rng.normal() })
                let residual = zip(x, x0).map { Double($0 - an * $1) }
                let sd = (residual.map { $0 * $0 }.reduce(0, +) / Double(n)).squareRoot()
                #expect(Swift.abs(sd - Double(sn)) < 0.02 * Double(sn) + 1e-4, "\(type(of: schedule)) step \(index): sd \(sd) vs σ' \(sn)")
                // The fresh noise is a real part of it: correlation with the original ε falls below 1.
                let kept = zip(residual, eps).map { $0 * Double($1) }.reduce(0, +) / Double(n) / Double(sn)
                #expect(kept < 0.99, "\(type(of: schedule)) step \(index): correlation with ε \(kept)")
            }
        }
    }

    @Test func timestepForSNRInvertsBothSchedules() {
        let flow = FlowMatchingSchedule(shift: 3), ddpm = VPredictionSchedule(snrShift: 1)
        func ddpmSNR(_ t: Float) -> Float { let a = ddpm.alphaBar(t); return a / (1 - a) }
        for t: Float in [30, 100, 250.5, 500, 720, 900] {
            let sigma = t / 1000, snr = (1 - sigma) * (1 - sigma) / (sigma * sigma)
            #expect(Swift.abs(flow.timestep(forSNR: snr) - t) < 1e-3)
            let back = ddpm.timestep(forSNR: ddpmSNR(t))
            #expect(Swift.abs(back - t) < 0.05, "DDPM t \(t) -> SNR -> \(back)")
        }
        // Out of range: infinite SNR is t = 0, zero SNR the last timestep.
        #expect(ddpm.timestep(forSNR: .infinity) == 0 && ddpm.timestep(forSNR: 0) == 999)
        #expect(flow.timestep(forSNR: 0) == 1000)
    }

    @Test func flowDensityTimesteps() {
        let flow = FlowMatchingSchedule(), ddpm = VPredictionSchedule(snrShift: 1)
        // Shift 1 on the flow family is its own uniform density.
        for u: Float in [0, 0.1, 0.37, 0.5, 0.93] {
            #expect(Swift.abs(flow.flowDensityTimestep(u, shift: 1) - flow.trainingTimestep(u)) < 1e-3)
        }
        // Shift 3 moves u = 0.5 to σ = 0.75; on DDPM, u = 0.5 (σ = 0.5) lands at SNR 1.
        #expect(Swift.abs(flow.flowDensityTimestep(0.5, shift: 3) - 750) < 1e-3)
        let t = ddpm.flowDensityTimestep(0.5, shift: 1), a = ddpm.alphaBar(t)
        #expect(Swift.abs(a / (1 - a) - 1) < 0.01)
        let settings = DiffusionTrainingSettings(timestepShift: 1)
        #expect(settings.trainingTimestep(0.5, schedule: ddpm) == t)
        #expect(DiffusionTrainingSettings().trainingTimestep(0.5, schedule: ddpm) == ddpm.trainingTimestep(0.5))
    }
}
