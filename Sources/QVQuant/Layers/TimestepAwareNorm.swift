import QVTensor

/// Q-DM's timestep-aware standardisation around an activation quantizer: per input channel,
/// x ↦ (x − μ)/σ before quantization and back after. While training, μ and σ are the current
/// batch's (which mixes timesteps) and feed an exponential moving average; at inference (no grad,
/// or after `freeze`) the averages are used. The statistics carry no gradient.
public final class TimestepAwareNorm {
    public let features: Int
    public private(set) var runningMean: [Float]
    public private(set) var runningStd: [Float]
    public let momentum: Float
    public private(set) var frozen = false
    var initialised = false

    public init(features: Int, momentum: Float = 0.1) {
        self.features = features
        runningMean = [Float](repeating: 0, count: features)
        runningStd = [Float](repeating: 1, count: features)
        self.momentum = momentum
    }

    /// Sets the running statistics (restoring a checkpoint).
    public func restore(mean: [Float], std: [Float]) {
        precondition(mean.count == features && std.count == features, "TimestepAwareNorm: \(features) statistics expected")
        (runningMean, runningStd, initialised) = (mean, std, true)
    }

    /// Stops updating the running statistics (deployment).
    public func freeze() { frozen = true }

    /// (μ, σ) for this input: batch statistics while training, running ones otherwise.
    func statistics(_ x: Tensor) -> (mean: [Float], std: [Float]) {
        let n = features, rows = x.count / n
        guard GradMode.isEnabled && !frozen && rows > 1 else { return (runningMean, runningStd) }
        var mean = [Float](repeating: 0, count: n), sq = [Float](repeating: 0, count: n)
        x.data.withUnsafeBufferPointer { xs in
            for r in 0..<rows { for j in 0..<n { let v = xs[r * n + j]; mean[j] += v; sq[j] += v * v } }
        }
        var std = [Float](repeating: 1, count: n)
        for j in 0..<n {
            mean[j] /= Float(rows)
            std[j] = Swift.max(sq[j] / Float(rows) - mean[j] * mean[j], 1e-10).squareRoot()
        }
        if initialised {
            for j in 0..<n {
                runningMean[j] += momentum * (mean[j] - runningMean[j])
                runningStd[j] += momentum * (std[j] - runningStd[j])
            }
        } else {
            (runningMean, runningStd, initialised) = (mean, std, true)
        }
        return (mean, std)
    }

    /// Q((x − μ)/σ)·σ + μ with the given quantizer.
    func apply(_ x: Tensor, quantize: (Tensor) -> Tensor) -> Tensor {
        let (mean, std) = statistics(x)
        let mu = Tensor(shape: [features], data: mean), sigma = Tensor(shape: [features], data: std)
        return quantize((x - mu) / sigma) * sigma + mu
    }
}
