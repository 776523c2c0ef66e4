/// Ops that move values without arithmetic: reshape, permute, slice, concat, split.
extension Tensor {
    /// Same values, new shape (one dimension may be −1 and is inferred).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var dims = newShape
        if let i = dims.firstIndex(of: -1) {
            let known = dims.enumerated().filter { $0.offset != i }.map(\.element).elementCount
            precondition(known > 0 && count % known == 0, "reshape: cannot infer −1 in \(newShape) for \(shape)")
            dims[i] = count / known
        }
        precondition(dims.elementCount == count, "reshape: \(shape) (\(count)) cannot become \(newShape)")
        let result = Tensor(shape: dims, data: data)
        return result.recording([self]) { [self] node in self.accumulateGrad(node.grad!) }
    }

    /// Reorders axes: output axis i is input axis `order[i]`.
    public func permuted(_ order: [Int]) -> Tensor {
        precondition(order.sorted() == Array(0..<rank), "permute: \(order) is not a permutation of 0..<\(rank)")
        let outShape = order.map { shape[$0] }
        let inStrides = shape.rowMajorStrides
        let gather = order.map { inStrides[$0] }, own = outShape.rowMajorStrides
        var out = uninitializedFloats(count)
        data.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                Tensor.forEachBroadcast(outShape, own, gather) { o, _, i in y[o] = x[i] }
            }
        }
        let result = Tensor(shape: outShape, data: out)
        return result.recording([self]) { [self] node in
            let g = node.grad!
            self.accumulateGrad { dx in Tensor.forEachBroadcast(outShape, own, gather) { o, _, i in dx[i] += g[o] } }
        }
    }

    /// Swaps two axes.
    public func transposed(_ a: Int = -2, _ b: Int = -1) -> Tensor {
        var order = Array(0..<rank)
        order.swapAt(normalizeAxis(a, rank: rank), normalizeAxis(b, rank: rank))
        return permuted(order)
    }

    /// (outer, size, inner) decomposition of the shape around `axis`.
    private func split3(_ axis: Int) -> (outer: Int, size: Int, inner: Int) {
        let a = normalizeAxis(axis, rank: rank)
        return (shape[..<a].elementCount, shape[a], shape[(a + 1)...].elementCount)
    }

    /// Elements `range` along `axis`.
    public func slice(axis: Int, _ range: Range<Int>) -> Tensor {
        let (outer, size, inner) = split3(axis)
        precondition(range.lowerBound >= 0 && range.upperBound <= size, "slice: \(range) out of 0..<\(size) on axis \(axis)")
        var outShape = shape
        outShape[normalizeAxis(axis, rank: rank)] = range.count
        let len = range.count * inner
        var out = uninitializedFloats(outer * len)
        data.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                for o in 0..<outer {
                    let src = o * size * inner + range.lowerBound * inner
                    for k in 0..<len { y[o * len + k] = x[src + k] }
                }
            }
        }
        let result = Tensor(shape: outShape, data: out)
        return result.recording([self]) { [self] node in
            let g = node.grad!
            self.accumulateGrad { dx in
                for o in 0..<outer {
                    let dst = o * size * inner + range.lowerBound * inner
                    for k in 0..<len { dx[dst + k] += g[o * len + k] }
                }
            }
        }
    }

    /// Joins tensors along `axis` (all other dimensions equal).
    public static func concat(_ parts: [Tensor], axis: Int) -> Tensor {
        precondition(!parts.isEmpty, "concat: no tensors")
        let first = parts[0], a = normalizeAxis(axis, rank: first.rank)
        for p in parts {
            precondition(p.rank == first.rank && (0..<p.rank).allSatisfy { $0 == a || p.shape[$0] == first.shape[$0] },
                         "concat: shape \(p.shape) does not match \(first.shape) off axis \(axis)")
        }
        let outer = first.shape[..<a].elementCount, inner = first.shape[(a + 1)...].elementCount
        let sizes = parts.map { $0.shape[a] }, total = sizes.reduce(0, +)
        var outShape = first.shape
        outShape[a] = total
        var out = uninitializedFloats(outer * total * inner)
        var offset = 0
        for (p, s) in zip(parts, sizes) {
            let len = s * inner
            p.data.withUnsafeBufferPointer { x in
                out.withUnsafeMutableBufferPointer { y in
                    for o in 0..<outer { for k in 0..<len { y[(o * total + offset) * inner + k] = x[o * len + k] } }
                }
            }
            offset += s
        }
        let result = Tensor(shape: outShape, data: out)
        return result.recording(parts) { node in
            let g = node.grad!
            var offset = 0
            for (p, s) in zip(parts, sizes) {
                let len = s * inner, base = offset
                p.accumulateGrad { dx in
                    for o in 0..<outer { for k in 0..<len { dx[o * len + k] += g[(o * total + base) * inner + k] } }
                }
                offset += s
            }
        }
    }

    /// Splits along `axis` into pieces of the given sizes (which must add up to the dimension).
    public func split(sizes: [Int], axis: Int) -> [Tensor] {
        precondition(sizes.reduce(0, +) == dim(axis), "split: sizes \(sizes) do not add up to \(dim(axis))")
        var start = 0
        return sizes.map { s in defer { start += s }; return slice(axis: axis, start..<(start + s)) }
    }

    /// Splits along `axis` into `n` equal chunks.
    public func chunk(_ n: Int, axis: Int) -> [Tensor] {
        precondition(n > 0 && dim(axis) % n == 0, "chunk: \(dim(axis)) is not divisible into \(n) chunks")
        return split(sizes: Array(repeating: dim(axis) / n, count: n), axis: axis)
    }

    /// Inserts a size-1 axis at `axis`.
    public func unsqueezed(_ axis: Int) -> Tensor {
        var s = shape
        s.insert(1, at: axis < 0 ? axis + rank + 1 : axis)
        return reshaped(s)
    }
}
