import Foundation
import QVTensor

/// Sinusoidal features of a scalar (timestep), [B] → [B, dim]: cos half then sin half, with
/// frequencies 10000^(−i/half) as in DiT/Wan.
public func sinusoidalEmbedding(_ values: [Float], dim: Int, maxPeriod: Float = 10_000) -> Tensor {
    let half = dim / 2
    var out = [Float](repeating: 0, count: values.count * dim)
    for (b, t) in values.enumerated() {
        for i in 0..<half {
            let freq = Foundation.exp(-Foundation.log(maxPeriod) * Float(i) / Float(half))
            out[b * dim + i] = Foundation.cos(t * freq)
            out[b * dim + half + i] = Foundation.sin(t * freq)
        }
    }
    return Tensor(shape: [values.count, dim], data: out)
}

/// Fixed 3-D sinusoidal positions for a (frames × rows × cols) token grid, [frames·rows·cols, dim]:
/// the channels are split between time (half) and the two spatial axes (a quarter each).
public func positionalEmbedding3D(frames: Int, rows: Int, cols: Int, dim: Int) -> Tensor {
    let dt = dim / 2 / 2 * 2, ds = (dim - dt) / 2 / 2 * 2, dc = dim - dt - ds
    let et = sinusoidalEmbedding((0..<frames).map(Float.init), dim: dt, maxPeriod: 100)
    let er = sinusoidalEmbedding((0..<rows).map(Float.init), dim: ds, maxPeriod: 100)
    let ec = sinusoidalEmbedding((0..<cols).map(Float.init), dim: dc, maxPeriod: 100)
    var out = [Float](repeating: 0, count: frames * rows * cols * dim)
    var idx = 0
    for f in 0..<frames { for r in 0..<rows { for c in 0..<cols {
        for j in 0..<dt { out[idx * dim + j] = et.data[f * dt + j] }
        for j in 0..<ds { out[idx * dim + dt + j] = er.data[r * ds + j] }
        for j in 0..<dc { out[idx * dim + dt + ds + j] = ec.data[c * dc + j] }
        idx += 1
    } } }
    return Tensor(shape: [frames * rows * cols, dim], data: out)
}

/// Timestep t ∈ [0, 1000] → sinusoidal features → MLP (Linear, SiLU, Linear): the conditioning
/// vector from which every block's adaLN modulation is computed.
public final class TimestepEmbedder: Module {
    public let frequencyDim: Int
    public let fc1: Linear, fc2: Linear

    public init(dim: Int, frequencyDim: Int = 64, rng: inout SeededGenerator) {
        self.frequencyDim = frequencyDim
        fc1 = Linear(frequencyDim, dim, rng: &rng)
        fc2 = Linear(dim, dim, rng: &rng)
    }

    public var children: [(String, any Module)] { [("fc1", fc1), ("fc2", fc2)] }

    public func callAsFunction(_ t: [Float]) -> Tensor {
        fc2(fc1(sinusoidalEmbedding(t, dim: frequencyDim)).silu())
    }
}
