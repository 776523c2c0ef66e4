import QVTensor

/// Ablation variant of Φ (DESIGN.md §7, "sparse"): a dense [out, in] matrix initialised to the
/// rank-r₀ Φ, whose entries are pruned by magnitude on the rank-decay phase schedule.
public final class SparseAuxiliary: AuxiliaryBranch {
    public var matrix: Tensor
    /// Per-entry multipliers: 1 kept, γ fading, 0 pruned.
    public var mask: [Float]
    /// Entries alive (not yet pruned), sorted by magnitude at the last phase end, largest first.
    public var alive: [Int]

    public init(dense: [Float], rows: Int, cols: Int) {
        matrix = Tensor(shape: [rows, cols], data: dense, requiresGrad: true)
        matrix.name = "phi_sparse"
        mask = [Float](repeating: 1, count: dense.count)
        alive = Array(0..<dense.count)
        sortAlive()
    }

    func sortAlive() { alive.sort { Swift.abs(matrix.data[$0]) > Swift.abs(matrix.data[$1]) } }

    public var parameters: [(String, Tensor)] { [("phi_sparse", matrix)] }
    public var parameterCount: Int { alive.count }
    public var dense: [Float] { zip(matrix.data, mask).map { $0 * $1 } }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        x.matmul(matrix * Tensor(shape: matrix.shape, data: mask), transposeOther: true)
    }

    /// During a phase: the top `keep` alive entries stay, the other alive ones fade with γ.
    public func setFading(keep: Int, gamma: Float) {
        for (rank, i) in alive.enumerated() { mask[i] = rank < keep ? 1 : gamma }
    }

    /// At a phase end: prune all but the top `keep` alive entries and re-rank the survivors.
    public func prune(keep: Int) {
        for i in alive.dropFirst(keep) { mask[i] = 0; matrix.data[i] = 0 }
        alive = Array(alive.prefix(keep))
        sortAlive()
    }
}

/// Ablation variant of Φ (DESIGN.md §7, "residual-quant"): Φ ≈ Σₖ Q₄(Tₖ), where T₀ = W − Q(W) and
/// each next term quantizes what the previous ones left; one term (the last, smallest) fades per
/// phase and is dropped at its end.
public final class ResidualQuantAuxiliary: AuxiliaryBranch {
    public var terms: [Tensor]
    public var scales: [[Float]]
    public var zeros: [[Float]]
    public var weights: [Float]
    public let rows: Int, cols: Int
    public let bits = 4

    public init(error: [Float], rows: Int, cols: Int, terms count: Int) {
        self.rows = rows
        self.cols = cols
        var residual = error
        terms = []; scales = []; zeros = []
        for k in 0..<count {
            let (s, z) = RangeInit.minMax(residual, rows: rows, cols: cols, bits: 4)
            let t = Tensor(shape: [rows, cols], data: residual, requiresGrad: true)
            t.name = "phi_term\(k)"
            let q = FakeQuantize.apply(t, scale: Tensor(shape: [rows, 1], data: s), zero: Tensor(shape: [rows, 1], data: z), bits: 4)
            residual = zip(residual, q.data).map { $0 - $1 }
            terms.append(t); scales.append(s); zeros.append(z)
        }
        weights = [Float](repeating: 1, count: count)
    }

    func quantized(_ k: Int) -> Tensor {
        FakeQuantize.apply(terms[k], scale: Tensor(shape: [rows, 1], data: scales[k]), zero: Tensor(shape: [rows, 1], data: zeros[k]), bits: bits)
    }

    public var parameters: [(String, Tensor)] { terms.enumerated().map { ("phi_term\($0.offset)", $0.element) } }
    /// Deployed as 4-bit terms; counted in parameters like the other branches.
    public var parameterCount: Int { terms.count * rows * cols }

    public var dense: [Float] {
        var out = [Float](repeating: 0, count: rows * cols)
        withNoGrad { for k in terms.indices { for (i, v) in quantized(k).data.enumerated() { out[i] += weights[k] * v } } }
        return out
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        var sum = quantized(0) * weights[0]
        for k in terms.indices.dropFirst() { sum = sum + quantized(k) * weights[k] }
        return x.matmul(sum, transposeOther: true)
    }

    /// Drops the last term; returns its tensor (for the optimiser).
    public func dropLast() -> Tensor {
        scales.removeLast(); zeros.removeLast(); weights.removeLast()
        return terms.removeLast()
    }
}
