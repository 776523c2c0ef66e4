/// Reductions along axes (sum, mean, max, min, variance). The output keeps reduced axes as size 1
/// when `keepDims` is true; axes nil means all axes. Reading the kept-dims output through broadcast
/// strides maps every input element to its output slot, which both passes use.
extension Tensor {
    private func reducedShape(_ axes: [Int]?) -> (kept: [Int], squeezed: [Int], n: Int) {
        let set = Set((axes ?? Array(0..<rank)).map { normalizeAxis($0, rank: rank) })
        var kept = shape, squeezed: [Int] = [], n = 1
        for d in 0..<rank {
            if set.contains(d) { n *= shape[d]; kept[d] = 1 } else { squeezed.append(shape[d]) }
        }
        return (kept, squeezed, n)
    }

    private func reduce(_ axes: [Int]?, keepDims: Bool, initial: Float,
                        combine: (Float, Float) -> Float, finish: (Float, Int) -> Float,
                        backward: @escaping (_ x: Float, _ y: Float, _ g: Float, _ n: Int) -> Float) -> Tensor {
        let (kept, squeezed, n) = reducedShape(axes)
        let strides = broadcastStrides(kept, to: shape), own = shape.rowMajorStrides
        var out = [Float](repeating: initial, count: kept.elementCount)
        data.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                Tensor.forEachBroadcast(shape, own, strides) { _, i, o in y[o] = combine(y[o], x[i]) }
                for o in 0..<y.count { y[o] = finish(y[o], n) }
            }
        }
        let result = Tensor(shape: keepDims ? kept : squeezed, data: out)
        let input = self, inShape = self.shape
        return result.recording([self]) { node in
            let g = node.grad!, y = node.data, xs = input.data
            input.accumulateGrad { dx in
                Tensor.forEachBroadcast(inShape, own, strides) { _, i, o in dx[i] += backward(xs[i], y[o], g[o], n) }
            }
        }
    }

    /// Sum over `axes` (all if nil).
    public func sum(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        reduce(axes, keepDims: keepDims, initial: 0, combine: +, finish: { v, _ in v },
               backward: { _, _, g, _ in g })
    }

    /// Mean over `axes` (all if nil).
    public func mean(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        reduce(axes, keepDims: keepDims, initial: 0, combine: +, finish: { v, n in v / Float(n) },
               backward: { _, _, g, n in g / Float(n) })
    }

    /// Maximum over `axes`; the gradient goes to every element equal to the maximum.
    public func max(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        reduce(axes, keepDims: keepDims, initial: -.infinity, combine: { Swift.max($0, $1) },
               finish: { v, _ in v }, backward: { x, y, g, _ in x == y ? g : 0 })
    }

    /// Minimum over `axes`; the gradient goes to every element equal to the minimum.
    public func min(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        reduce(axes, keepDims: keepDims, initial: .infinity, combine: { Swift.min($0, $1) },
               finish: { v, _ in v }, backward: { x, y, g, _ in x == y ? g : 0 })
    }

    /// Population variance over `axes` (divides by N, as layer norm does).
    public func variance(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        let mu = mean(axes: axes, keepDims: true)
        let centred = self - mu
        return (centred * centred).mean(axes: axes, keepDims: keepDims)
    }
}
