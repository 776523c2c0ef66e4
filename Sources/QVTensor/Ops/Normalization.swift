import CQVVectorMath
import Foundation

/// Softmax and layer normalisation over the last axis, each fused with its own backward.
extension Tensor {
    /// (rows, columns) when viewing the tensor as a matrix over its last axis.
    var lastAxisRows: (rows: Int, cols: Int) {
        let c = shape.last ?? 1
        return (c == 0 ? 0 : count / c, c)
    }

    /// Softmax over the last axis (max-subtracted for stability).
    public func softmax() -> Tensor {
        let (rows, cols) = lastAxisRows
        var out = uninitializedFloats(count)
        data.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                if rows > 0 { qv_softmax_rows(x.baseAddress!, y.baseAddress!, rows, cols) }
            }
        }
        let result = Tensor(shape: shape, data: out)
        return result.recording([self]) { [self] node in
            let g = node.grad!, y = node.data
            guard rows > 0 else { return }
            self.accumulateGrad { dx in
                qv_softmax_backward_rows(y, g, dx.baseAddress!, rows, cols, 1, 1)
            }
        }
    }

    /// Layer normalisation over the last axis: (x − μ)/√(σ² + ε), then ·weight + bias if given.
    public func layerNorm(weight: Tensor? = nil, bias: Tensor? = nil, eps: Float = 1e-6) -> Tensor {
        let (rows, cols) = lastAxisRows
        precondition(weight.map { $0.count == cols } ?? true, "layerNorm: weight must have \(cols) values")
        precondition(bias.map { $0.count == cols } ?? true, "layerNorm: bias must have \(cols) values")
        var out = uninitializedFloats(count)
        var normalized = uninitializedFloats(count)
        var rstd = uninitializedFloats(rows)
        let w = weight?.data, b = bias?.data
        if rows > 0 {
            data.withUnsafeBufferPointer { x in out.withUnsafeMutableBufferPointer { y in
            normalized.withUnsafeMutableBufferPointer { xh in rstd.withUnsafeMutableBufferPointer { rs in
            Tensor.withOptionalPointer(w) { w in Tensor.withOptionalPointer(b) { b in
                qv_layernorm_rows(x.baseAddress!, y.baseAddress!, xh.baseAddress!, rs.baseAddress!, w, b, rows, cols, eps)
            } } } } } }
        }
        let result = Tensor(shape: shape, data: out)
        var inputs = [self]
        if let weight { inputs.append(weight) }
        if let bias { inputs.append(bias) }
        return result.recording(inputs) { [self] node in
            let g = node.grad!
            guard rows > 0 else { return }
            // Each gradient accumulates in its own pass so a frozen input costs nothing.
            func backward(dx: UnsafeMutablePointer<Float>?, dw: UnsafeMutablePointer<Float>?, db: UnsafeMutablePointer<Float>?) {
                Tensor.withOptionalPointer(w) { w in
                    qv_layernorm_backward_rows(g, normalized, rstd, w, dx, dw, db, rows, cols)
                }
            }
            if let weight, weight.requiresGrad { weight.accumulateGrad { backward(dx: nil, dw: $0.baseAddress, db: nil) } }
            if let bias, bias.requiresGrad { bias.accumulateGrad { backward(dx: nil, dw: nil, db: $0.baseAddress) } }
            if self.requiresGrad { self.accumulateGrad { backward(dx: $0.baseAddress, dw: nil, db: nil) } }
        }
    }

    /// Calls `body` with a pointer to the values, or nil when there are none.
    static func withOptionalPointer<R>(_ values: [Float]?, _ body: (UnsafePointer<Float>?) -> R) -> R {
        guard let values else { return body(nil) }
        return values.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}
