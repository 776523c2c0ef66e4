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
        normalized * (scale + 1) + shift
    }
}
