/// Broadcasting elementwise binary ops (NumPy rules). Gradients are summed back over broadcast
/// dimensions by accumulating through the same broadcast strides.
extension Tensor {
    /// Visits every output element of a broadcast of two inputs with (output, a, b) flat indices.
    @inline(__always)
    static func forEachBroadcast(_ shape: [Int], _ sa: [Int], _ sb: [Int],
                                 _ body: (_ o: Int, _ ia: Int, _ ib: Int) -> Void) {
        let n = shape.count
        if n == 0 { body(0, 0, 0); return }
        let inner = shape[n - 1], ia1 = sa[n - 1], ib1 = sb[n - 1]
        let outer = shape.elementCount / Swift.max(inner, 1)
        if inner == 0 { return }
        var index = [Int](repeating: 0, count: n - 1)
        var offA = 0, offB = 0, o = 0
        for _ in 0..<outer {
            var a = offA, b = offB
            for _ in 0..<inner { body(o, a, b); o &+= 1; a &+= ia1; b &+= ib1 }
            // Advance the odometer over the outer dimensions.
            var d = n - 2
            while d >= 0 {
                index[d] += 1; offA += sa[d]; offB += sb[d]
                if index[d] < shape[d] { break }
                offA -= sa[d] * shape[d]; offB -= sb[d] * shape[d]; index[d] = 0
                d -= 1
            }
        }
    }

    @inline(__always)
    func binaryOp(_ other: Tensor, _ f: (Float, Float) -> Float,
                  da: @escaping (Float, Float, Float) -> Float,
                  db: @escaping (Float, Float, Float) -> Float) -> Tensor {
        let a = self, b = other
        guard let outShape = broadcastShapes(a.shape, b.shape) else {
            preconditionFailure("cannot broadcast shapes \(a.shape) and \(b.shape)")
        }
        let sa = broadcastStrides(a.shape, to: outShape), sb = broadcastStrides(b.shape, to: outShape)
        var out = [Float](repeating: 0, count: outShape.elementCount)
        a.data.withUnsafeBufferPointer { x in
            b.data.withUnsafeBufferPointer { y in
                out.withUnsafeMutableBufferPointer { z in
                    if a.shape == b.shape {
                        for i in 0..<z.count { z[i] = f(x[i], y[i]) }
                    } else {
                        Tensor.forEachBroadcast(outShape, sa, sb) { o, i, j in z[o] = f(x[i], y[j]) }
                    }
                }
            }
        }
        let result = Tensor(shape: outShape, data: out)
        return result.recording([a, b]) { node in
            let g = node.grad!, y = node.data
            let xa = a.data, xb = b.data
            if a.requiresGrad {
                a.accumulateGrad { ga in
                    Tensor.forEachBroadcast(outShape, sa, sb) { o, i, j in ga[i] += g[o] * da(xa[i], xb[j], y[o]) }
                }
            }
            if b.requiresGrad {
                b.accumulateGrad { gb in
                    Tensor.forEachBroadcast(outShape, sa, sb) { o, i, j in gb[j] += g[o] * db(xa[i], xb[j], y[o]) }
                }
            }
        }
    }

    public func add(_ o: Tensor) -> Tensor { binaryOp(o, +, da: { _, _, _ in 1 }, db: { _, _, _ in 1 }) }
    public func sub(_ o: Tensor) -> Tensor { binaryOp(o, -, da: { _, _, _ in 1 }, db: { _, _, _ in -1 }) }
    public func mul(_ o: Tensor) -> Tensor { binaryOp(o, *, da: { _, b, _ in b }, db: { a, _, _ in a }) }
    public func div(_ o: Tensor) -> Tensor {
        binaryOp(o, /, da: { _, b, _ in 1 / b }, db: { a, b, _ in -a / (b * b) })
    }
    /// Elementwise maximum; ties send the gradient to `self`.
    public func maximum(_ o: Tensor) -> Tensor {
        binaryOp(o, { Swift.max($0, $1) }, da: { a, b, _ in a >= b ? 1 : 0 }, db: { a, b, _ in a >= b ? 0 : 1 })
    }
    /// Elementwise minimum; ties send the gradient to `self`.
    public func minimum(_ o: Tensor) -> Tensor {
        binaryOp(o, { Swift.min($0, $1) }, da: { a, b, _ in a <= b ? 1 : 0 }, db: { a, b, _ in a <= b ? 0 : 1 })
    }

    public static func + (a: Tensor, b: Tensor) -> Tensor { a.add(b) }
    public static func - (a: Tensor, b: Tensor) -> Tensor { a.sub(b) }
    public static func * (a: Tensor, b: Tensor) -> Tensor { a.mul(b) }
    public static func / (a: Tensor, b: Tensor) -> Tensor { a.div(b) }
    public static prefix func - (a: Tensor) -> Tensor { a.neg() }
    public static func + (a: Tensor, c: Float) -> Tensor { a.shifted(c) }
    public static func - (a: Tensor, c: Float) -> Tensor { a.shifted(-c) }
    public static func * (a: Tensor, c: Float) -> Tensor { a.scaled(c) }
    public static func * (c: Float, a: Tensor) -> Tensor { a.scaled(c) }
    public static func / (a: Tensor, c: Float) -> Tensor { a.scaled(1 / c) }
}
