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
                for r in 0..<rows { softmaxRow(x.baseAddress! + r * cols, y.baseAddress! + r * cols, cols) }
            }
        }
        let result = Tensor(shape: shape, data: out)
        return result.recording([self]) { [self] node in
            let g = node.grad!, y = node.data
            self.accumulateGrad { dx in
                for r in 0..<rows {
                    let o = r * cols
                    var dot: Float = 0
                    for j in 0..<cols { dot += g[o + j] * y[o + j] }
                    for j in 0..<cols { dx[o + j] += y[o + j] * (g[o + j] - dot) }
                }
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
        data.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                normalized.withUnsafeMutableBufferPointer { xh in
                    for r in 0..<rows {
                        let o = r * cols
                        var mean: Float = 0
                        for j in 0..<cols { mean += x[o + j] }
                        mean /= Float(cols)
                        var v: Float = 0
                        for j in 0..<cols { let d = x[o + j] - mean; v += d * d }
                        let s = 1 / (v / Float(cols) + eps).squareRoot()
                        rstd[r] = s
                        for j in 0..<cols {
                            let h = (x[o + j] - mean) * s
                            xh[o + j] = h
                            y[o + j] = h * (w?[j] ?? 1) + (b?[j] ?? 0)
                        }
                    }
                }
            }
        }
        let result = Tensor(shape: shape, data: out)
        var inputs = [self]
        if let weight { inputs.append(weight) }
        if let bias { inputs.append(bias) }
        return result.recording(inputs) { [self] node in
            let g = node.grad!
            if let weight, weight.requiresGrad {
                weight.accumulateGrad { dw in
                    for r in 0..<rows { for j in 0..<cols { dw[j] += g[r * cols + j] * normalized[r * cols + j] } }
                }
            }
            if let bias, bias.requiresGrad {
                bias.accumulateGrad { db in for r in 0..<rows { for j in 0..<cols { db[j] += g[r * cols + j] } } }
            }
            guard self.requiresGrad else { return }
            self.accumulateGrad { dx in
                for r in 0..<rows {
                    let o = r * cols
                    var meanG: Float = 0, meanGX: Float = 0
                    for j in 0..<cols {
                        let gh = g[o + j] * (w?[j] ?? 1)
                        meanG += gh
                        meanGX += gh * normalized[o + j]
                    }
                    meanG /= Float(cols); meanGX /= Float(cols)
                    for j in 0..<cols {
                        let gh = g[o + j] * (w?[j] ?? 1)
                        dx[o + j] += rstd[r] * (gh - meanG - normalized[o + j] * meanGX)
                    }
                }
            }
        }
    }
}

/// Numerically stable softmax of one row of `n` values.
@inline(__always)
func softmaxRow(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    var m = -Float.infinity
    for j in 0..<n { m = Swift.max(m, x[j]) }
    if m == -.infinity {  // fully masked row: uniform zeros rather than NaN
        for j in 0..<n { y[j] = 0 }
        return
    }
    for j in 0..<n { y[j] = fastExp(x[j] - m) }
    let inv = 1 / vectorSum(y, n)
    for j in 0..<n { y[j] *= inv }
}
