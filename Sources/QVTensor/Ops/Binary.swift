import CQVVectorMath

/// Broadcasting elementwise binary ops (NumPy rules). The broadcast is walked as rows (see
/// `BroadcastRows`), each handed to a vector kernel; gradients are summed back over broadcast
/// dimensions through the same rows.
extension Tensor {
    enum BinaryKind {
        case add, sub, mul, div, max, min

        var vectorKind: qv_binary_kind {
            switch self {
            case .add: QV_ADD
            case .sub: QV_SUB
            case .mul: QV_MUL
            case .div: QV_DIV
            case .max: QV_MAX
            case .min: QV_MIN
            }
        }
    }

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
        let plan = BroadcastRows(outShape, broadcastStrides(a.shape, to: outShape), broadcastStrides(b.shape, to: outShape))
        var out = uninitializedFloats(outShape.elementCount)
        a.data.withUnsafeBufferPointer { x in
            b.data.withUnsafeBufferPointer { y in
                out.withUnsafeMutableBufferPointer { z in
                    guard let z = z.baseAddress, let x = x.baseAddress, let y = y.baseAddress else { return }
                    plan.forEachRow { o, i, j in
                        qv_binary(kind.vectorKind, z + o, x + i, plan.innerStrideA, y + j, plan.innerStrideB, plan.inner)
                    }
                }
            }
        }
        let result = Tensor(shape: outShape, data: out)
        return result.recording([a, b]) { node in
            let g = node.grad!
            if a.requiresGrad {
                a.accumulateGrad { ga in Tensor.binaryGrad(kind, first: true, plan, g, a.data, b.data, into: ga) }
            }
            if b.requiresGrad {
                b.accumulateGrad { gb in Tensor.binaryGrad(kind, first: false, plan, g, a.data, b.data, into: gb) }
            }
        }
    }

    /// Accumulates ∂L/∂a (`first`) or ∂L/∂b into `into`, one output row at a time: vector kernels for
    /// add/sub/mul, where a broadcast (stride-0) row of the input becomes a dot product.
    static func binaryGrad(_ kind: BinaryKind, first: Bool, _ plan: BroadcastRows, _ g: [Float], _ xa: [Float],
                           _ xb: [Float], into d: UnsafeMutableBufferPointer<Float>) {
        g.withUnsafeBufferPointer { g in xa.withUnsafeBufferPointer { xa in xb.withUnsafeBufferPointer { xb in
            guard let gp = g.baseAddress, let ap = xa.baseAddress, let bp = xb.baseAddress,
                  let dp = d.baseAddress else { return }
            let n = plan.inner
            let ownStride = first ? plan.innerStrideA : plan.innerStrideB
            let otherStride = first ? plan.innerStrideB : plan.innerStrideA
            var one: Float = 1
            plan.forEachRow { o, i, j in
                let own = first ? i : j, other = first ? bp + j : ap + i
                switch kind {
                case .add, .sub, .mul:
                    let sign: Float = (kind == .sub && !first) ? -1 : 1
                    if ownStride == 1 {
                        if kind == .mul {
                            qv_accumulate_product(dp + own, gp + o, other, otherStride, n)
                        } else {
                            qv_accumulate_scaled(dp + own, gp + o, sign, n)
                        }
                    } else {
                        let total = kind == .mul ? qv_dot(gp + o, other, otherStride, n) : qv_dot(gp + o, &one, 0, n)
                        dp[own] += sign * total
                    }
                case .div, .max, .min:
                    for t in 0..<n {
                        let pa = ap[i + t * plan.innerStrideA], pb = bp[j + t * plan.innerStrideB]
                        let partial = Tensor.partials(kind, pa, pb)
                        dp[own + t * ownStride] += gp[o + t] * (first ? partial.0 : partial.1)
                    }
                }
            }
        } } }
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

/// A broadcast of two contiguous inputs to an output shape, as rows: the output is walked in rows of
/// `inner` contiguous elements, and each input is read along a row with stride 1 or 0 (broadcast).
/// Adjacent dimensions that both inputs read contiguously are merged first, so equal shapes are one
/// row and `[B, N, D] ∘ [B, 1, D]` is B·N rows of D.
struct BroadcastRows {
    let outer: [Int]
    let outerStridesA: [Int], outerStridesB: [Int]
    let inner: Int
    let innerStrideA: Int, innerStrideB: Int

    init(_ shape: [Int], _ stridesA: [Int], _ stridesB: [Int]) {
        var dims: [(size: Int, a: Int, b: Int)] = []
        for d in shape.indices where shape[d] != 1 {
            let next = (size: shape[d], a: stridesA[d], b: stridesB[d])
            if let last = dims.last, last.a == next.a * next.size, last.b == next.b * next.size {
                dims[dims.count - 1] = (last.size * next.size, next.a, next.b)
            } else {
                dims.append(next)
            }
        }
        let last = dims.popLast() ?? (size: shape.contains(0) ? 0 : 1, a: 1, b: 1)
        inner = last.size
        innerStrideA = last.a
        innerStrideB = last.b
        precondition(innerStrideA <= 1 && innerStrideB <= 1, "broadcast of a non-contiguous input")
        outer = dims.map(\.size)
        outerStridesA = dims.map(\.a)
        outerStridesB = dims.map(\.b)
    }

    /// Calls `body(outputOffset, offsetA, offsetB)` for every row, in output order.
    @inline(__always)
    func forEachRow(_ body: (_ o: Int, _ a: Int, _ b: Int) -> Void) {
        if inner == 0 || outer.contains(0) { return }
        let rows = outer.reduce(1, *)
        var index = [Int](repeating: 0, count: outer.count)
        var offA = 0, offB = 0
        for row in 0..<rows {
            body(row * inner, offA, offB)
            var d = outer.count - 1
            while d >= 0 {
                index[d] += 1; offA += outerStridesA[d]; offB += outerStridesB[d]
                if index[d] < outer[d] { break }
                offA -= outerStridesA[d] * outer[d]; offB -= outerStridesB[d] * outer[d]; index[d] = 0
                d -= 1
            }
        }
    }
}

extension Tensor {
    /// self·b + c in one pass, with b and c broadcast to self's shape: the adaLN modulation
    /// `x·(1 + scale) + shift` and the gated residual `x + gate·y` of DiT blocks, which otherwise
    /// cost two full passes (and two backward passes) over the token stream. Same values as the
    /// composed ops.
    public func multiplyAdd(_ b: Tensor, _ c: Tensor) -> Tensor {
        let a = self
        guard broadcastShapes(b.shape, shape) == shape, broadcastShapes(c.shape, shape) == shape else {
            return a * b + c
        }
        let plan = BroadcastRows(shape, broadcastStrides(b.shape, to: shape), broadcastStrides(c.shape, to: shape))
        var out = uninitializedFloats(count)
        a.data.withUnsafeBufferPointer { x in b.data.withUnsafeBufferPointer { y in c.data.withUnsafeBufferPointer { w in
            out.withUnsafeMutableBufferPointer { z in
                guard let z = z.baseAddress, let x = x.baseAddress, let y = y.baseAddress, let w = w.baseAddress else { return }
                plan.forEachRow { o, j, k in
                    qv_multiply_add(z + o, x + o, y + j, plan.innerStrideA, w + k, plan.innerStrideB, plan.inner)
                }
            }
        } } }
        let result = Tensor(shape: shape, data: out)
        return result.recording([a, b, c]) { node in
            let g = node.grad!
            let n = plan.inner, sb = plan.innerStrideA, sc = plan.innerStrideB
            g.withUnsafeBufferPointer { g in
                let gp = g.baseAddress!
                if a.requiresGrad {
                    b.data.withUnsafeBufferPointer { y in
                        a.accumulateGrad { da in
                            plan.forEachRow { o, j, _ in qv_accumulate_product(da.baseAddress! + o, gp + o, y.baseAddress! + j, sb, n) }
                        }
                    }
                }
                if b.requiresGrad {
                    a.data.withUnsafeBufferPointer { x in
                        b.accumulateGrad { db in
                            plan.forEachRow { o, j, _ in
                                if sb == 1 {
                                    qv_accumulate_product(db.baseAddress! + j, gp + o, x.baseAddress! + o, 1, n)
                                } else {
                                    db[j] += qv_dot(gp + o, x.baseAddress! + o, 1, n)
                                }
                            }
                        }
                    }
                }
                if c.requiresGrad {
                    var one: Float = 1
                    c.accumulateGrad { dc in
                        plan.forEachRow { o, _, k in
                            if sc == 1 {
                                qv_accumulate_scaled(dc.baseAddress! + k, gp + o, 1, n)
                            } else {
                                dc[k] += qv_dot(gp + o, &one, 0, n)
                            }
                        }
                    }
                }
            }
        }
    }
}
