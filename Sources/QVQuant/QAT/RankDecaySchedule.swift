import Foundation

/// QVGen's rank-decay schedule (DESIGN.md §7): training is split into P equal phases, P being the
/// number of cuts r ← ⌊r(1−λ)⌋ (at least one less) from r₀ to 0. In phase p with rank r_p, the top
/// r_{p+1} components keep multiplier 1 and the rest fade with γ = (1 + cos(π·τ/T))/2; at the phase
/// end the rank becomes r_{p+1}. Sparse and residual-quantization decay reuse the same phases.
public struct RankDecaySchedule: Sendable, Equatable {
    public let initialRank: Int
    public let shrinkRatio: Double
    public let totalSteps: Int
    /// r₀, r₁, …, 0.
    public let ranks: [Int]

    public init(initialRank r0: Int, shrinkRatio lambda: Double, totalSteps: Int) {
        precondition(lambda > 0 && lambda <= 1, "shrinking ratio λ must be in (0, 1], got \(lambda)")
        initialRank = r0
        shrinkRatio = lambda
        self.totalSteps = totalSteps
        var seq = [r0]
        var r = r0
        while r > 0 {
            r = Swift.min(Int((Double(r) * (1 - lambda)).rounded(.down)), r - 1)
            seq.append(r)
        }
        ranks = seq
    }

    /// Number of phases P (0 when r₀ = 0).
    public var phases: Int { ranks.count - 1 }

    /// First step of phase p (p = phases gives totalSteps): phases of equal length.
    public func phaseStart(_ p: Int) -> Int {
        phases == 0 ? totalSteps : Int((Double(p) * Double(totalSteps) / Double(phases)).rounded())
    }

    /// The phase containing `step` (0-based, clamped to the last phase).
    public func phase(at step: Int) -> Int {
        guard phases > 0 else { return 0 }
        var p = 0
        while p + 1 < phases && step >= phaseStart(p + 1) { p += 1 }
        return p
    }

    /// γ at `step`: 1 at the start of its phase, falling by a half cosine to 0 at the phase end.
    public func gamma(at step: Int) -> Double {
        let p = phase(at: step), start = phaseStart(p), length = Swift.max(phaseStart(p + 1) - start, 1)
        let tau = Double(Swift.min(Swift.max(step - start, 0), length))
        return (1 + Foundation.cos(Double.pi * tau / Double(length))) / 2
    }

    /// Current rank during `step`.
    public func rank(at step: Int) -> Int { ranks[phase(at: step)] }

    /// Components that keep multiplier 1 during `step` (the rank after this phase).
    public func kept(at step: Int) -> Int { phases == 0 ? 0 : ranks[phase(at: step) + 1] }

    /// The multipliers of the current rank's components during `step`.
    public func mask(at step: Int) -> [Float] {
        let r = rank(at: step), keep = kept(at: step), g = Float(gamma(at: step))
        return (0..<r).map { $0 < keep ? 1 : g }
    }
}
