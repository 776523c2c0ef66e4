import QVTensor

/// A QAT-only branch added to a quantized layer's output and removed before deployment (QVGen's Φ
/// and the ablation variants). It sees the quantized activation.
public protocol AuxiliaryBranch: AnyObject {
    func callAsFunction(_ x: Tensor) -> Tensor
    /// Trainable tensors, by local name.
    var parameters: [(String, Tensor)] { get }
    /// Extra inference-time parameters while the branch exists.
    var parameterCount: Int { get }
    /// The branch as a dense [out, in] matrix (for diagnostics and tests).
    var dense: [Float] { get }
}

/// QVGen's auxiliary module Φ = L·diag(mask)·R (DESIGN.md §7), fed by the quantized activation:
/// Φ(x̂) = ((x̂·Rᵀ) ⊙ mask)·Lᵀ. Its rank shrinks during training (rank-decay) until it is removed.
public final class AuxiliaryModule: AuxiliaryBranch {
    /// L [out, r] and R [r, in], trainable.
    public var left: Tensor
    public var right: Tensor
    /// Per-component multipliers m (1 for kept components, fading γ for decaying ones).
    public var mask: [Float]

    public init(left: Tensor, right: Tensor) {
        precondition(left.shape[1] == right.shape[0], "Φ: L is \(left.shape), R is \(right.shape)")
        self.left = left
        self.right = right
        mask = [Float](repeating: 1, count: left.shape[1])
        left.requiresGrad = true
        right.requiresGrad = true
        left.name = "phi_left"
        right.name = "phi_right"
    }

    public var rank: Int { mask.count }

    /// Φ initialised from the rank-r SVD of the quantization error E = W − Q(W) (DESIGN §7):
    /// L = U_r√Σ_r, R = √Σ_r V_rᵀ, r ≤ min(out, in).
    public static func fromError(_ error: [Float], rows: Int, cols: Int, rank: Int) throws -> AuxiliaryModule {
        let r = Swift.min(rank, rows, cols)
        let (l, rt) = try Matrix(rows: rows, cols: cols, values: error).lowRankFactors(rank: r)
        return AuxiliaryModule(left: Tensor(shape: [rows, r], data: l.values), right: Tensor(shape: [r, cols], data: rt.values))
    }
    public var parameters: [(String, Tensor)] { [("phi_left", left), ("phi_right", right)] }
    /// Extra inference-time parameters while Φ exists.
    public var parameterCount: Int { left.count + right.count }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let projected = x.matmul(right, transposeOther: true)
        let masked = mask.allSatisfy { $0 == 1 } ? projected : projected * Tensor(shape: [rank], data: mask)
        return masked.matmul(left, transposeOther: true)
    }

    /// Φ as a dense [out, in] matrix (L·diag(mask)·R).
    public var dense: [Float] {
        let (out, r, inF) = (left.shape[0], rank, right.shape[1])
        var m = [Float](repeating: 0, count: out * inF)
        for i in 0..<out { for k in 0..<r {
            let a = left.data[i * r + k] * mask[k]
            if a == 0 { continue }
            for j in 0..<inF { m[i * inF + j] += a * right.data[k * inF + j] }
        } }
        return m
    }
}
