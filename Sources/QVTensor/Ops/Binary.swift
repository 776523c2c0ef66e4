/// Broadcasting elementwise binary ops (NumPy rules). Gradients are summed back over broadcast
/// dimensions by accumulating through the same broadcast strides. Each op's backward is a literal
/// loop per kind (no per-element closure calls), with a contiguous fast path for equal shapes.
extension Tensor {
    enum BinaryKind { case add, sub, mul, div, max, min }

    /// Visits every output element of a broadcast of two inputs with (output, a, b) flat indices.
    @inline(__always)
    static func forEachBroadcast(_ shape: [Int], _ sa: [Int], _ sb: [Int],
                                 _ body: (_ o: Int, _ ia: Int, _ ib: Int) -> Void) {
        let n = shape.count
        if n == 0 { body(0, 0, 0); return }
        let inner = shape[n - 1], ia1 = sa[n - 1], ib1 = sb[n - 1]
        if inner == 0 { return }
        let outer = shape.elementCount / inner
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
    static func apply(_ kind: BinaryKind, _ a: Float, _ b: Float) -> Float {
        switch kind {
        case .add: return a + b
        case .sub: return a - b
        case .mul: return a * b
        case .div: return a / b
        case .max: return Swift.max(a, b)
        case .min: return Swift.min(a, b)
        }
    }

    /// ∂(a ∘ b)/∂a and ∂(a ∘ b)/∂b. Ties of max/min send the gradient to a.
    @inline(__always)
    static func partials(_ kind: BinaryKind, _ a: Float, _ b: Float) -> (Float, Float) {
        switch kind {
        case .add: return (1, 1)
        case .sub: return (1, -1)
        case .mul: return (b, a)
        case .div: return (1 / b, -a / (b * b))
        case .max: return a >= b ? (1, 0) : (0, 1)
        case .min: return a <= b ? (1, 0) : (0, 1)
        }
    }

    func binaryOp(_ other: Tensor, _ kind: BinaryKind) -> Tensor {
        let a = self, b = other
        guard let outShape = broadcastShapes(a.shape, b.shape) else {
            preconditionFailure("cannot broadcast shapes \(a.shape) and \(b.shape)")
        }
        let same = a.shape == b.shape
        let sa = broadcastStrides(a.shape, to: outShape), sb = broadcastStrides(b.shape, to: outShape)
        var out = uninitializedFloats(outShape.elementCount)
        a.data.withUnsafeBufferPointer { x in
            b.data.withUnsafeBufferPointer { y in
                out.withUnsafeMutableBufferPointer { z in
                    switch (same, kind) {
                    case (true, .add): for i in 0..<z.count { z[i] = x[i] + y[i] }
                    case (true, .mul): for i in 0..<z.count { z[i] = x[i] * y[i] }
                    case (true, _): for i in 0..<z.count { z[i] = Tensor.apply(kind, x[i], y[i]) }
                    case (false, _):
                        Tensor.forEachBroadcast(outShape, sa, sb) { o, i, j in z[o] = Tensor.apply(kind, x[i], y[j]) }
                    }
                }
            }
        }
        let result = Tensor(shape: outShape, data: out)
        return result.recording([a, b]) { node in
            let g = node.grad!
            let xa = a.data, xb = b.data
            if a.requiresGrad {
                a.accumulateGrad { ga in
                    switch (same, kind) {
                    case (true, .add), (true, .sub): for i in 0..<ga.count { ga[i] += g[i] }
                    case (true, .mul): for i in 0..<ga.count { ga[i] += g[i] * xb[i] }
                    case (true, _): for i in 0..<ga.count { ga[i] += g[i] * Tensor.partials(kind, xa[i], xb[i]).0 }
                    case (false, .add), (false, .sub):
                        Tensor.forEachBroadcast(outShape, sa, sb) { o, i, _ in ga[i] += g[o] }
                    case (false, .mul):
                        Tensor.forEachBroadcast(outShape, sa, sb) { o, i, j in ga[i] += g[o] * xb[j] }
                    case (false, _):
                        Tensor.forEachBroadcast(outShape, sa, sb) { o, i, j in
                            ga[i] += g[o] * Tensor.partials(kind, xa[i], xb[j]).0
                        }
                    }
                }
            }
            if b.requiresGrad {
                b.accumulateGrad { gb in
                    switch (same, kind) {
                    case (true, .add): for i in 0..<gb.count { gb[i] += g[i] }
                    case (true, .sub): for i in 0..<gb.count { gb[i] -= g[i] }
                    case (true, .mul): for i in 0..<gb.count { gb[i] += g[i] * xa[i] }
                    case (true, _): for i in 0..<gb.count { gb[i] += g[i] * Tensor.partials(kind, xa[i], xb[i]).1 }
                    case (false, .add): Tensor.forEachBroadcast(outShape, sa, sb) { o, _, j in gb[j] += g[o] }
                    case (false, .sub): Tensor.forEachBroadcast(outShape, sa, sb) { o, _, j in gb[j] -= g[o] }
                    case (false, .mul):
                        Tensor.forEachBroadcast(outShape, sa, sb) { o, i, j in gb[j] += g[o] * xa[i] }
                    case (false, _):
                        Tensor.forEachBroadcast(outShape, sa, sb) { o, i, j in
                            gb[j] += g[o] * Tensor.partials(kind, xa[i], xb[j]).1
                        }
                    }
                }
            }
        }
    }

    public func add(_ o: Tensor) -> Tensor { binaryOp(o, .add) }
    public func sub(_ o: Tensor) -> Tensor { binaryOp(o, .sub) }
    public func mul(_ o: Tensor) -> Tensor { binaryOp(o, .mul) }
    public func div(_ o: Tensor) -> Tensor { binaryOp(o, .div) }
    /// Elementwise maximum; ties send the gradient to `self`.
    public func maximum(_ o: Tensor) -> Tensor { binaryOp(o, .max) }
    /// Elementwise minimum; ties send the gradient to `self`.
    public func minimum(_ o: Tensor) -> Tensor { binaryOp(o, .min) }

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
