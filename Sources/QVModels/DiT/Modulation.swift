import QVTensor

/// adaLN helpers: a conditioning vector c [B, D] → chunks [B, 1, D] that shift, scale and gate
/// token streams [B, N, D].
enum Modulation {
    /// Splits adaLN output [B, k·D] into k tensors [B, 1, D].
    static func chunks(_ m: Tensor, _ k: Int) -> [Tensor] {
        let b = m.shape[0], d = m.shape[1] / k
        return m.reshaped([b, k, d]).split(sizes: Array(repeating: 1, count: k), axis: 1)
    }

    /// norm(x)·(1 + scale) + shift.
    static func modulate(_ normalized: Tensor, shift: Tensor, scale: Tensor) -> Tensor {
        normalized.multiplyAdd(scale + 1, shift)
    }

    /// x + gate·y, the gated residual.
    static func gatedResidual(_ x: Tensor, gate: Tensor, _ y: Tensor) -> Tensor {
        y.multiplyAdd(gate, x)
    }
}
