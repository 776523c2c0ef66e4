import Foundation

/// Elementwise unary ops. Each is defined by its value y = f(x) and its derivative dy/dx, written as
/// a function of (x, y) so ops like exp and tanh reuse the output.
extension Tensor {
    /// Applies f elementwise. When the result joins the graph, dy/dx is computed in the same pass
    /// and kept, so the backward step is a plain multiply (no per-element closure calls).
    @inline(__always)
    func unaryOp(_ f: (Float) -> Float, derivative: (Float, Float) -> Float) -> Tensor {
        var out = uninitializedFloats(count)
        let record = Tensor.needsGrad(self)
        var slope = record ? uninitializedFloats(count) : []
        data.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                if record {
                    slope.withUnsafeMutableBufferPointer { d in
                        for i in 0..<x.count { let v = f(x[i]); y[i] = v; d[i] = derivative(x[i], v) }
                    }
                } else {
                    for i in 0..<x.count { y[i] = f(x[i]) }
                }
            }
        }
        let result = Tensor(shape: shape, data: out)
        return result.recording([self]) { [self] node in
            let g = node.grad!
            self.accumulateGrad { dx in
                slope.withUnsafeBufferPointer { d in
                    g.withUnsafeBufferPointer { g in for i in 0..<dx.count { dx[i] += g[i] * d[i] } }
                }
            }
        }
    }

    public func neg() -> Tensor { unaryOp({ -$0 }, derivative: { _, _ in -1 }) }
    public func exp() -> Tensor { unaryOp({ fastExp($0) }, derivative: { _, y in y }) }
    public func log() -> Tensor { unaryOp({ Foundation.log($0) }, derivative: { x, _ in 1 / x }) }
    public func sqrt() -> Tensor { unaryOp({ $0.squareRoot() }, derivative: { _, y in 0.5 / y }) }
    public func abs() -> Tensor { unaryOp({ Swift.abs($0) }, derivative: { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) }) }
    public func tanh() -> Tensor { unaryOp({ fastTanh($0) }, derivative: { _, y in 1 - y * y }) }
    public func sigmoid() -> Tensor { unaryOp({ sigmoidValue($0) }, derivative: { _, y in y * (1 - y) }) }
    public func relu() -> Tensor { unaryOp({ Swift.max($0, 0) }, derivative: { x, _ in x > 0 ? 1 : 0 }) }
    public func square() -> Tensor { unaryOp({ $0 * $0 }, derivative: { x, _ in 2 * x }) }

    /// x·σ(x).
    public func silu() -> Tensor {
        unaryOp({ $0 * sigmoidValue($0) }, derivative: { x, _ in
            let s = sigmoidValue(x)
            return s * (1 + x * (1 - s))
        })
    }

    /// GELU, tanh approximation (as in DiT/Wan MLPs).
    public func gelu() -> Tensor {
        // One tanh per element serves both the value and the slope (the slope only when recording).
        let record = Tensor.needsGrad(self)
        guard record else { return unaryOp({ v in 0.5 * v * (1 + fastTanh(geluC * (v + 0.044715 * v * v * v))) }, derivative: { _, _ in 0 }) }
        var out = uninitializedFloats(count), slope = uninitializedFloats(count)
        data.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                slope.withUnsafeMutableBufferPointer { d in
                    for i in 0..<x.count {
                        let v = x[i], u = geluC * (v + 0.044715 * v * v * v), t = fastTanh(u)
                        y[i] = 0.5 * v * (1 + t)
                        d[i] = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * geluC * (1 + 3 * 0.044715 * v * v)
                    }
                }
            }
        }
        let result = Tensor(shape: shape, data: out)
        return result.recording([self]) { [self] node in
            let g = node.grad!
            self.accumulateGrad { dx in for i in 0..<dx.count { dx[i] += g[i] * slope[i] } }
        }
    }

    /// xᵖ for a constant exponent.
    public func pow(_ p: Float) -> Tensor {
        unaryOp({ Foundation.pow($0, p) }, derivative: { x, _ in p * Foundation.pow(x, p - 1) })
    }

    /// Sign (−1, 0, 1); its gradient is zero.
    public func sign() -> Tensor {
        unaryOp({ $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }, derivative: { _, _ in 0 })
    }

    /// Round half to even, with the straight-through gradient (dy/dx = 1) used by fake quantization.
    public func roundSTE() -> Tensor { unaryOp({ $0.rounded(.toNearestOrEven) }, derivative: { _, _ in 1 }) }

    /// Clamp to [lower, upper]. The gradient is 1 where lower ≤ x ≤ upper (edges included, as in
    /// PyTorch) and 0 outside.
    public func clamp(_ lower: Float, _ upper: Float) -> Tensor {
        precondition(lower <= upper, "clamp: lower \(lower) > upper \(upper)")
        return unaryOp({ Swift.min(Swift.max($0, lower), upper) },
                       derivative: { x, _ in (x >= lower && x <= upper) ? 1 : 0 })
    }

    /// self·c.
    public func scaled(_ c: Float) -> Tensor { unaryOp({ $0 * c }, derivative: { _, _ in c }) }
    /// self + c.
    public func shifted(_ c: Float) -> Tensor { unaryOp({ $0 + c }, derivative: { _, _ in 1 }) }
}

@inline(__always) func sigmoidValue(_ x: Float) -> Float { fastSigmoid(x) }

private let geluC: Float = 0.797_884_56  // √(2/π)

