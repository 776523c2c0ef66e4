import Foundation
import QVTensor

/// A family's diffusion objective and sampler (DESIGN.md §3): how training noises clean latents and
/// what the network must predict, and how sampling walks from noise to data with the prediction.
/// Timesteps are in model units, [0, 1000].
public protocol NoiseSchedule: Sendable {
    /// A training timestep from a uniform u ∈ [0, 1).
    func trainingTimestep(_ u: Float) -> Float
    /// x_t from clean x₀ and noise ε at timestep t (elementwise, in place into `xt`), and the target.
    func noise(_ x0: Float, _ eps: Float, at t: Float) -> (xt: Float, target: Float)
    /// The timesteps a sampler of `steps` steps evaluates the model at, from noise towards data.
    func samplingTimesteps(steps: Int) -> [Float]
    /// One sampler update of `x` given the model's prediction at step `index` of `steps`.
    func step(_ x: inout [Float], prediction: [Float], index: Int, steps: Int)
    /// The clean-data estimate x̂₀ implied by a prediction at timestep t (one-step denoising).
    func predictedData(_ xt: Float, prediction: Float, at t: Float) -> Float
    /// The (fractional) timestep whose signal-to-noise ratio is `snr`; lets either family train at the
    /// SNRs another density chooses (`DiffusionTrainingSettings.timestepShift`).
    func timestep(forSNR snr: Float) -> Float
    /// Signal and noise scales (α, σ) of x = α·x₀ + σ·ε at sampler step `index` of `steps`
    /// (`index` = `steps`: the clean end, α = 1, σ = 0).
    func scales(index: Int, steps: Int) -> (alpha: Float, sigma: Float)
    /// The clean-data and noise estimates (x̂₀, ε̂) implied by a prediction at scales (α, σ).
    func dataAndNoise(_ x: Float, prediction: Float, alpha: Float, sigma: Float) -> (data: Float, noise: Float)
}

extension NoiseSchedule {
    /// A training timestep at the SNR of rectified flow's σ = shift·u/(1 + (shift−1)·u), u uniform:
    /// Wan's training density for shift 1, its sampler's step density for shift 3.
    public func flowDensityTimestep(_ u: Float, shift: Float) -> Float {
        let sigma = FlowMatchingSchedule.shifted(u, shift: shift)
        guard sigma > 0 else { return timestep(forSNR: .infinity) }
        let ratio = (1 - sigma) / sigma
        return timestep(forSNR: ratio * ratio)
    }

    /// One stochastic sampler update (DDIM's η for any Gaussian path): x_next = α'·x̂₀ + √(σ'² − c²)·ε̂ + c·z
    /// with c = η·σ'·√(1 − SNR/SNR'), the posterior's standard deviation at η = 1. `noise` is z, one
    /// standard normal value per latent. η = 0 is the deterministic step (`step`), up to rounding.
    public func stochasticStep(_ x: inout [Float], prediction: [Float], index: Int, steps: Int, eta: Float, noise: [Float]) {
        precondition(noise.count == x.count, "stochasticStep: \(noise.count) noise values for \(x.count) latents")
        let (a, s) = scales(index: index, steps: steps), (an, sn) = scales(index: index + 1, steps: steps)
        // SNR/SNR' = (a·sn)² / (an·s)²; the next step is less noisy, so the ratio is in [0, 1).
        let ratio = an == 0 ? 1 : Swift.min(1, (a * sn) * (a * sn) / ((an * s) * (an * s)))
        let churn2 = eta * eta * sn * sn * (1 - ratio)
        let churn = churn2.squareRoot(), keep = Swift.max(0, sn * sn - churn2).squareRoot()
        for i in 0..<x.count {
            let (x0, eps) = dataAndNoise(x[i], prediction: prediction[i], alpha: a, sigma: s)
            x[i] = an * x0 + keep * eps + churn * noise[i]
        }
    }
}

/// Rectified flow (Wan): x_t = (1−σ)x₀ + σε, target v = ε − x₀, σ = t/1000; Euler sampling on the
/// shifted grid σ' = shift·s/(1 + (shift−1)·s), s from 1 to 0.
public struct FlowMatchingSchedule: NoiseSchedule, Equatable {
    public var shift: Float

    public init(shift: Float = 3.0) { self.shift = shift }

    public func trainingTimestep(_ u: Float) -> Float { u * 1000 }

    public func noise(_ x0: Float, _ eps: Float, at t: Float) -> (xt: Float, target: Float) {
        let s = t / 1000
        return ((1 - s) * x0 + s * eps, eps - x0)
    }

    /// The timestep shift σ' = shift·s/(1 + (shift−1)·s), s ∈ [0, 1].
    public static func shifted(_ s: Float, shift: Float) -> Float { shift * s / (1 + (shift - 1) * s) }

    /// σ values of the sampling grid, σ₀ = 1 … σ_N = 0 (N + 1 values).
    public func sigmas(steps: Int) -> [Float] {
        (0...steps).map { i in Self.shifted(1 - Float(i) / Float(steps), shift: shift) }
    }

    public func samplingTimesteps(steps: Int) -> [Float] { sigmas(steps: steps).dropLast().map { $0 * 1000 } }

    /// σ = 1/(1 + √SNR), since SNR = ((1−σ)/σ)².
    public func timestep(forSNR snr: Float) -> Float { 1000 / (1 + snr.squareRoot()) }

    /// x₀ = x_t − σ·v.
    public func predictedData(_ xt: Float, prediction v: Float, at t: Float) -> Float { xt - t / 1000 * v }

    public func scales(index: Int, steps: Int) -> (alpha: Float, sigma: Float) {
        let sigma = Self.shifted(1 - Float(index) / Float(steps), shift: shift)
        return (1 - sigma, sigma)
    }

    /// x₀ = x − σ·v, ε = x + α·v (α = 1 − σ).
    public func dataAndNoise(_ x: Float, prediction v: Float, alpha: Float, sigma: Float) -> (data: Float, noise: Float) {
        (x - sigma * v, x + alpha * v)
    }

    public func step(_ x: inout [Float], prediction v: [Float], index: Int, steps: Int) {
        let sig = sigmas(steps: steps), dt = sig[index + 1] - sig[index]
        for i in 0..<x.count { x[i] += dt * v[i] }
    }
}

/// DDPM with v-prediction (CogVideoX): scaled-linear betas (0.00085 → 0.012, 1000 steps), CogVideoX's
/// SNR shift ᾱ ← ᾱ/(s + (1−s)ᾱ) (s from the model's config) and rescaling to zero terminal SNR; x_t = √ᾱ x₀ + √(1−ᾱ) ε,
/// v = √ᾱ ε − √(1−ᾱ) x₀; deterministic DDIM with "trailing" timestep spacing.
public struct VPredictionSchedule: NoiseSchedule, Equatable {
    public let alphasCumprod: [Float]
    public let snrShift: Float

    public init(snrShift: Float = 3.0, trainSteps: Int = 1000) {
        self.snrShift = snrShift
        let lo = Double(0.00085).squareRoot(), hi = Double(0.012).squareRoot()
        var ab: [Double] = []
        var prod = 1.0
        for i in 0..<trainSteps {
            let b = lo + (hi - lo) * Double(i) / Double(trainSteps - 1)
            prod *= 1 - b * b
            ab.append(prod)
        }
        let s = Double(snrShift)
        ab = ab.map { $0 / (s + (1 - s) * $0) }
        // Zero terminal SNR (Lin et al. 2024): shift √ᾱ so its last value is 0, keep the first.
        var r = ab.map { $0.squareRoot() }
        let first = r[0], last = r[trainSteps - 1]
        r = r.map { ($0 - last) * first / (first - last) }
        alphasCumprod = r.map { Float($0 * $0) }
    }

    /// ᾱ at a (possibly fractional) timestep, linearly interpolated; 1 before t = 0.
    public func alphaBar(_ t: Float) -> Float {
        if t < 0 { return 1 }
        let i = Swift.min(Int(t), alphasCumprod.count - 1), f = t - Float(i)
        let next = Swift.min(i + 1, alphasCumprod.count - 1)
        return alphasCumprod[i] * (1 - f) + alphasCumprod[next] * f
    }

    public func trainingTimestep(_ u: Float) -> Float {
        Float(Swift.min(Int(u * Float(alphasCumprod.count)), alphasCumprod.count - 1))
    }

    public func noise(_ x0: Float, _ eps: Float, at t: Float) -> (xt: Float, target: Float) {
        let a = alphaBar(t), sa = a.squareRoot(), sb = (1 - a).squareRoot()
        return (sa * x0 + sb * eps, sa * eps - sb * x0)
    }

    /// The t with ᾱ(t) = SNR/(1 + SNR) (ᾱ is decreasing; linear between integer steps as `alphaBar`).
    public func timestep(forSNR snr: Float) -> Float {
        let target = snr.isInfinite ? 1 : snr / (1 + snr)
        guard target < alphasCumprod[0] else { return 0 }
        var lo = 0, hi = alphasCumprod.count - 1
        guard target > alphasCumprod[hi] else { return Float(hi) }
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if alphasCumprod[mid] > target { lo = mid } else { hi = mid }
        }
        return Float(lo) + (alphasCumprod[lo] - target) / (alphasCumprod[lo] - alphasCumprod[hi])
    }

    /// x₀ = √ᾱ·x_t − √(1−ᾱ)·v.
    public func predictedData(_ xt: Float, prediction v: Float, at t: Float) -> Float {
        let a = alphaBar(t)
        return a.squareRoot() * xt - (1 - a).squareRoot() * v
    }

    /// Trailing spacing: round(1000 − i·1000/N) − 1 for i in 0..<N (999 first).
    public func samplingTimesteps(steps: Int) -> [Float] {
        let n = Float(alphasCumprod.count)
        return (0..<steps).map { i in (n - Float(i) * n / Float(steps)).rounded() - 1 }
    }

    public func scales(index: Int, steps: Int) -> (alpha: Float, sigma: Float) {
        let a = index < steps ? alphaBar(samplingTimesteps(steps: steps)[index]) : 1
        return (a.squareRoot(), (1 - a).squareRoot())
    }

    /// x₀ = α·x − σ·v, ε = α·v + σ·x (α = √ᾱ, σ = √(1−ᾱ)).
    public func dataAndNoise(_ x: Float, prediction v: Float, alpha: Float, sigma: Float) -> (data: Float, noise: Float) {
        (alpha * x - sigma * v, alpha * v + sigma * x)
    }

    public func step(_ x: inout [Float], prediction v: [Float], index: Int, steps: Int) {
        let ts = samplingTimesteps(steps: steps)
        let a = alphaBar(ts[index]), ap = index + 1 < steps ? alphaBar(ts[index + 1]) : 1
        let sa = a.squareRoot(), sb = (1 - a).squareRoot(), spa = ap.squareRoot(), spb = (1 - ap).squareRoot()
        for i in 0..<x.count {
            let x0 = sa * x[i] - sb * v[i], eps = sa * v[i] + sb * x[i]
            x[i] = spa * x0 + spb * eps
        }
    }
}
