import Foundation

/// Learning-rate multiplier: linear warm-up from 0 to 1 over `warmupSteps`, then cosine decay to
/// `floor` at `totalSteps` (QVGen's setup uses 10% warm-up).
public struct CosineSchedule: Sendable, Equatable {
    public var totalSteps: Int
    public var warmupSteps: Int
    public var floor: Float

    public init(totalSteps: Int, warmupFraction: Double = 0.1, floor: Float = 0) {
        self.totalSteps = Swift.max(totalSteps, 1)
        self.warmupSteps = Int((Double(totalSteps) * warmupFraction).rounded())
        self.floor = floor
    }

    /// Multiplier for the update numbered `step` (0-based).
    public func factor(at step: Int) -> Float {
        if step < warmupSteps { return Float(step + 1) / Float(warmupSteps) }
        let span = Swift.max(totalSteps - warmupSteps, 1)
        let progress = Swift.min(Float(step - warmupSteps) / Float(span), 1)
        return floor + (1 - floor) * 0.5 * (1 + Foundation.cos(Float.pi * progress))
    }
}

/// Global gradient norm ‖g‖₂ over parameters (those without a gradient count as zero).
public func globalGradientNorm(_ parameters: [Tensor]) -> Float {
    var total: Double = 0
    for p in parameters {
        guard let g = p.grad else { continue }
        g.withUnsafeBufferPointer { for x in $0 { total += Double(x) * Double(x) } }
    }
    return Float(total.squareRoot())
}

/// Scales gradients so their global norm is at most `maxNorm`; returns the norm before clipping
/// (non-finite if any gradient is NaN/Inf, in which case nothing is scaled).
@discardableResult
public func clipGradientNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
    let norm = globalGradientNorm(parameters)
    guard norm.isFinite, norm > maxNorm else { return norm }
    let scale = maxNorm / (norm + 1e-6)
    for p in parameters where p.grad != nil {
        p.grad!.withUnsafeMutableBufferPointer { for i in 0..<$0.count { $0[i] *= scale } }
    }
    return norm
}
