import Foundation
import QVModels
import QVTensor

/// SVDQuant-style quantization of one layer (DESIGN.md §6).
///
/// Smoothing λ_j = a_j^α / w_j^β (a_j = max|X_j|, w_j = max|W_·j|) with x̂ = x/λ and Ŵ = W·diag(λ) (the
/// same direction as `ChannelBalancing`: activation outliers move into the weight). Ŵ is split into a
/// rank-r full-precision branch L = L₁L₂ (its top singular directions) and a residual R = Ŵ − L that is
/// quantized; then L ← SVD_r(Ŵ − Q(R)), R ← Ŵ − L is repeated while the layer's output error falls.
/// The layer computes x̂·L₂ᵀL₁ᵀ + Q(x̂)·Q(R)ᵀ + b.
public enum SVDQuantLayer {
    /// A low-rank + residual split of a smoothed weight.
    public struct Split: Sendable {
        /// L₁ [out, r] and L₂ [r, in] (row-major).
        public var l1: [Float]
        public var l2: [Float]
        public var rank: Int
        /// R = Ŵ − L₁L₂ [out, in].
        public var residual: [Float]
    }

    /// One (α, β) grid point and its output error.
    public struct GridPoint: Sendable, Hashable {
        public var alpha: Float
        public var beta: Float
        public var error: Double
    }

    /// The finished layer and what was chosen.
    public struct Result {
        public var quantizer: QuantizedLinear
        public var alpha: Float
        public var beta: Float
        public var rank: Int
        public var grid: [GridPoint]
        /// Output error after the initial split and after each accepted refinement step.
        public var errorHistory: [Double]
    }

    /// λ_j = a_j^α / w_j^β (1 where either statistic is 0), clamped to [1e-4, 1e4].
    public static func smoothing(activationAbsMax a: [Float], weightAbsMax w: [Float], alpha: Float, beta: Float) -> [Float] {
        zip(a, w).map { a, w in
            guard a > 0, w > 0 else { return 1 }
            let l = Foundation.pow(a, alpha) / Foundation.pow(w, beta)
            return l.isFinite ? Swift.min(Swift.max(l, 1e-4), 1e4) : 1
        }
    }

    /// Best rank-r approximation L₁L₂ of `target` (rows × cols) and the residual `full − L₁L₂`.
    public static func split(_ target: [Float], full: [Float], rows: Int, cols: Int, rank: Int) throws -> Split {
        let r = Swift.min(Swift.max(rank, 0), rows, cols)
        let (l, rr) = try Matrix(rows: rows, cols: cols, values: target).lowRankFactors(rank: r)
        let lr = try l.multiplied(by: rr)
        var residual = full
        for i in 0..<residual.count { residual[i] -= lr.values[i] }
        return Split(l1: l.values, l2: rr.values, rank: r, residual: residual)
    }

    /// Ŵ = W·diag(λ) of a rows × cols weight.
    public static func smoothedWeight(_ w: [Float], rows: Int, cols: Int, smoothing: [Float]) -> [Float] {
        var out = w
        for r in 0..<rows { for j in 0..<cols { out[r * cols + j] *= smoothing[j] } }
        return out
    }

    /// Installs a split into a fresh quantizer: smoothing, residual as the folded weight (grid re-fitted),
    /// low-rank factors.
    public static func quantizer(base: Linear, spec: QuantizationSpec, smoothing: [Float], split: Split,
                                 context: QuantizationContext? = nil) -> QuantizedLinear {
        let q = QuantizedLinear(base: base, spec: spec, context: context)
        q.setInputTransform(base: base, smoothing: smoothing, hadamard: false)
        let residual = Tensor(shape: [base.outFeatures, base.inFeatures], data: split.residual)
        q.foldedWeight = residual
        q.reinitializeWeightGrid(from: residual)
        if split.rank > 0 {
            q.lowRank = (Tensor(shape: [base.outFeatures, split.rank], data: split.l1),
                         Tensor(shape: [split.rank, base.inFeatures], data: split.l2))
        }
        return q
    }

    /// Q(R): the residual on the quantizer's grid.
    public static func quantizedResidual(_ q: QuantizedLinear, base: Linear) -> [Float] {
        withNoGrad { q.quantizedWeight(base: base).data }
    }

    /// Grid search over (α, β), then the alternating refinement on the best point.
    public static func quantize(base: Linear, name: String, calibration: LayerCalibration, groupCount: Int,
                                spec: QuantizationSpec, options: SVDQuantOptions,
                                context: QuantizationContext? = nil) throws -> Result {
        let rows = base.outFeatures, cols = base.inFeatures, w = base.weight.data
        let rank = Swift.min(options.rank, rows, cols)
        let wMax = ChannelBalancing.columnAbsMax(w, rows: rows, cols: cols)
        func error(_ q: CandidateLayer) -> Double {
            calibration.criterion(q, base: base, groupCount: groupCount, timestepAware: false)
        }
        func build(_ lambda: [Float], _ wHat: [Float], target: [Float]) throws -> (CandidateLayer, Split) {
            let s: Split
            do {
                s = try split(target, full: wHat, rows: rows, cols: cols, rank: rank)
            } catch {
                throw PTQError.linearAlgebra(layer: name, problem: "SVD of the smoothed weight failed: \(error)")
            }
            let branch = s.rank > 0 ? (Tensor(shape: [rows, s.rank], data: s.l1), Tensor(shape: [s.rank, cols], data: s.l2)) : nil
            return (CandidateLayer(base: base, spec: spec, smoothing: lambda, rotation: nil, latent: s.residual, lowRank: branch), s)
        }
        var grid: [GridPoint] = []
        var best: (GridPoint, [Float], CandidateLayer, Split)?
        for alpha in options.alphas { for beta in options.betas {
            let lambda = smoothing(activationAbsMax: calibration.absMax, weightAbsMax: wMax, alpha: alpha, beta: beta)
            let wHat = smoothedWeight(w, rows: rows, cols: cols, smoothing: lambda)
            let (q, s) = try build(lambda, wHat, target: wHat)
            let p = GridPoint(alpha: alpha, beta: beta, error: error(q))
            grid.append(p)
            if best == nil || p.error < best!.0.error { best = (p, lambda, q, s) }
        } }
        guard let (point, lambda, initial, initialSplit) = best else {
            throw PTQError.invalidOption("SVDQuant needs non-empty α and β grids")
        }
        let wHat = smoothedWeight(w, rows: rows, cols: cols, smoothing: lambda)
        var current = (initial, initialSplit), history = [point.error]
        for _ in 0..<Swift.max(options.refinementIterations, 0) where rank > 0 {
            let qr = withNoGrad { current.0.quantizedWeight.data }
            let target = zip(wHat, qr).map { $0 - $1 }
            let next = try build(lambda, wHat, target: target)
            let e = error(next.0)
            guard e < history.last! else { break }
            current = next
            history.append(e)
        }
        let q = quantizer(base: base, spec: spec, smoothing: lambda, split: current.1, context: context)
        return Result(quantizer: q, alpha: point.alpha, beta: point.beta, rank: rank, grid: grid, errorHistory: history)
    }
}
