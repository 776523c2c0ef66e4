import Foundation
import QVModels
import QVTensor

/// ViDiT-Q-style channel balancing with a per-layer α search (DESIGN.md §6).
///
/// Direction. DESIGN.md writes m_j = max|W_·j|^α / max|X_j|^(1−α) with x ← x/m; with that m an
/// activation outlier channel (large max|X_j|) gets a *small* divisor and grows, which is the opposite
/// of balancing. We use SmoothQuant's form, which moves the outliers from the activations into the
/// weights:
///
///     m_j = max|X_j|^α / max|W_·j|^(1−α),   x ← x/m,   W ← W·diag(m)
///
/// so α = 1 flattens the activation channels completely (x_j/max|X_j|) and α = 0 flattens the weight
/// columns; the product x·Wᵀ is unchanged in full precision.
///
/// Timestep-aware statistics. ViDiT-Q balances with statistics that vary with the timestep. Our
/// activations are quantized dynamically per token, so their ranges already follow the timestep;
/// what stays static is the folded divisor m (one folded weight per layer). We therefore make the
/// *choice* of m timestep-aware: candidate statistics are the absMax over all timesteps, the absMax of
/// each timestep group alone, and the mean of the per-group absMaxes, and the candidate (statistic, α)
/// is chosen by the mean over timestep groups of the layer's relative output error, so late
/// low-magnitude timesteps weigh as much as early high-magnitude ones.
public enum ChannelBalancing {
    /// One candidate of the search and its criterion value.
    public struct Candidate: Sendable, Hashable {
        /// nil: no balancing.
        public var alpha: Float?
        public var statistic: String?
        public var error: Double
    }

    /// The search's result: the chosen candidate and every candidate tried, in order.
    public struct Choice: Sendable {
        public var best: Candidate
        public var grid: [Candidate]
        public var smoothing: [Float]?
    }

    /// max |W_·j| per input column of a rows × cols weight.
    public static func columnAbsMax(_ w: [Float], rows: Int, cols: Int) -> [Float] {
        var out = [Float](repeating: 0, count: cols)
        w.withUnsafeBufferPointer { w in
            for r in 0..<rows { for j in 0..<cols { out[j] = Swift.max(out[j], Swift.abs(w[r &* cols &+ j])) } }
        }
        return out
    }

    /// SmoothQuant-direction factors m_j = a_j^α / w_j^(1−α) (1 where either statistic is 0), clamped
    /// to [1e-4, 1e4] so the folded weight stays finite.
    public static func factors(activationAbsMax a: [Float], weightAbsMax w: [Float], alpha: Float) -> [Float] {
        zip(a, w).map { a, w in
            guard a > 0, w > 0 else { return 1 }
            let m = Foundation.pow(a, alpha) / Foundation.pow(w, 1 - alpha)
            return m.isFinite ? Swift.min(Swift.max(m, 1e-4), 1e4) : 1
        }
    }

    /// The named activation statistics the search considers.
    public static func statistics(of calibration: LayerCalibration, timestepAware: Bool) -> [(String, [Float])] {
        var out: [(String, [Float])] = [("all", calibration.absMax)]
        guard timestepAware, calibration.absMaxByGroup.count > 1 else { return out }
        let groups = calibration.absMaxByGroup.filter { $0.contains { $0 > 0 } }
        guard groups.count > 1 else { return out }
        for (g, a) in calibration.absMaxByGroup.enumerated() where a.contains(where: { $0 > 0 }) { out.append(("t\(g)", a)) }
        let n = calibration.inFeatures
        out.append(("mean", (0..<n).map { j in groups.reduce(Float(0)) { $0 + $1[j] } / Float(groups.count) }))
        return out
    }

    /// Tries no balancing and every (statistic, α), each as the layer of `spec` with the balancing (and
    /// optional Hadamard rotation) folded in, and returns the one with the lowest criterion.
    public static func search(base: Linear, calibration: LayerCalibration, groupCount: Int, spec: QuantizationSpec,
                              options: ViDiTQOptions) -> Choice {
        let wMax = columnAbsMax(base.weight.data, rows: base.outFeatures, cols: base.inFeatures)
        let rotation = options.hadamard ? CandidateLayer.rotationMatrix(base.inFeatures) : nil
        func evaluate(_ m: [Float]?) -> Double {
            let latent = (m == nil && !options.hadamard) ? base.weight.data
                : CandidateLayer.fold(base, smoothing: m, hadamard: options.hadamard)
            let q = CandidateLayer(base: base, spec: spec, smoothing: m, rotation: rotation, latent: latent)
            return calibration.criterion(q, base: base, groupCount: groupCount, timestepAware: options.timestepAware)
        }
        var grid = [Candidate(alpha: nil, statistic: nil, error: evaluate(nil))]
        var best = (grid[0], nil as [Float]?)
        for (name, a) in statistics(of: calibration, timestepAware: options.timestepAware) {
            for alpha in options.alphas {
                let m = factors(activationAbsMax: a, weightAbsMax: wMax, alpha: alpha)
                let c = Candidate(alpha: alpha, statistic: name, error: evaluate(m))
                grid.append(c)
                if c.error < best.0.error { best = (c, m) }
            }
        }
        return Choice(best: best.0, grid: grid, smoothing: best.1)
    }

    /// Builds the layer's quantizer for a search result.
    public static func quantizer(base: Linear, choice: Choice, spec: QuantizationSpec, hadamard: Bool,
                                 context: QuantizationContext? = nil) -> QuantizedLinear {
        let q = QuantizedLinear(base: base, spec: spec, context: context)
        if choice.smoothing != nil || hadamard { q.setInputTransform(base: base, smoothing: choice.smoothing, hadamard: hadamard) }
        return q
    }
}
