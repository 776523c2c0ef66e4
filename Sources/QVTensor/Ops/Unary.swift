import CQVVectorMath
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
        return Tensor(shape: shape, data: out).recordingSlope(slope, of: self)
    }

    /// Records dx += g ⊙ slope as the backward step of an elementwise op of `input`.
    func recordingSlope(_ slope: [Float], of input: Tensor) -> Tensor {
        recording([input]) { node in
            let g = node.grad!
            input.accumulateGrad { dx in
                guard !dx.isEmpty else { return }
                slope.withUnsafeBufferPointer { d in
                    g.withUnsafeBufferPointer { g in
                        qv_accumulate_product(dx.baseAddress!, g.baseAddress!, d.baseAddress!, 1, dx.count)
                    }
                }
            }
        }
    }

    /// Runs a vector kernel y = f(x) (and its slope when recording) over the whole tensor.
    func vectorUnaryOp(_ kernel: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>?, Int) -> Void) -> Tensor {
        let record = Tensor.needsGrad(self)
        var out = uninitializedFloats(count), slope = record ? uninitializedFloats(count) : []
        guard count > 0 else { return Tensor(shape: shape, data: out) }
        data.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                slope.withUnsafeMutableBufferPointer { d in
                    // An empty array may still have a base address; only a recorded op has a slope buffer.
                    kernel(x.baseAddress!, y.baseAddress!, record ? d.baseAddress : nil, count)
                }
            }
        }
        let result = Tensor(shape: shape, data: out)
        return record ? result.recordingSlope(slope, of: self) : result
    }

    public func neg() -> Tensor { unaryOp({ -$0 }, derivative: { _, _ in -1 }) }
    public func exp() -> Tensor {
        vectorUnaryOp { x, y, slope, n in
            qv_exp(x, y, n)
            if let slope { slope.update(from: y, count: n) }
        }
    }
    public func log() -> Tensor { unaryOp({ Foundation.log($0) }, derivative: { x, _ in 1 / x }) }
    public func sqrt() -> Tensor { unaryOp({ $0.squareRoot() }, derivative: { _, y in 0.5 / y }) }
    public func abs() -> Tensor { unaryOp({ Swift.abs($0) }, derivative: { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) }) }
    public func tanh() -> Tensor { unaryOp({ fastTanh($0) }, derivative: { _, y in 1 - y * y }) }
    public func sigmoid() -> Tensor { unaryOp({ sigmoidValue($0) }, derivative: { _, y in y * (1 - y) }) }
    public func relu() -> Tensor { unaryOp({ Swift.max($0, 0) }, derivative: { x, _ in x > 0 ? 1 : 0 }) }
    public func square() -> Tensor { unaryOp({ $0 * $0 }, derivative: { x, _ in 2 * x }) }

    /// x·σ(x).
    public func silu() -> Tensor { vectorUnaryOp { qv_silu($0, $1, $2, $3) } }

    /// GELU, tanh approximation (as in DiT/Wan MLPs); one tanh per element serves value and slope.
    public func gelu() -> Tensor { vectorUnaryOp { qv_gelu($0, $1, $2, $3) } }

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

