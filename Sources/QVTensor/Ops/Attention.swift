import CQVVectorMath

/// Which attention scores to suppress.
public enum AttentionMask: Sendable {
    /// Per batch entry, which keys are real (true) rather than padding: `valid[b * keys + j]`.
    case keyPadding(valid: [Bool])
    /// An additive bias for every (query, key) pair, `bias[i * keys + j]`, shared by batch and heads.
    case additive(bias: [Float])
}

extension Tensor {
    /// Scaled dot-product attention, fused: softmax(q·kᵀ·scale + mask)·v.
    ///
    /// q is [B, H, Lq, D], k is [B, H, Lk, D], v is [B, H, Lk, Dv]; the result is [B, H, Lq, Dv].
    /// The probabilities are kept for the backward pass (B·H·Lq·Lk floats), which is computed with
    /// four GEMMs per head instead of a chain of generic ops.
    public static func attention(query q: Tensor, key k: Tensor, value v: Tensor,
                                 mask: AttentionMask? = nil, scale: Float? = nil) -> Tensor {
        precondition(q.rank == 4 && k.rank == 4 && v.rank == 4, "attention: q, k, v must be [B, H, L, D]")
        let (b, h, lq, d) = (q.shape[0], q.shape[1], q.shape[2], q.shape[3])
        let (lk, dv) = (k.shape[2], v.shape[3])
        precondition(k.shape == [b, h, lk, d] && v.shape[0..<3] == [b, h, lk],
                     "attention: shapes q \(q.shape), k \(k.shape), v \(v.shape) disagree")
        let alpha = scale ?? 1 / Float(d).squareRoot()
        switch mask {
        case .keyPadding(let valid)?: precondition(valid.count == b * lk, "attention: key mask needs \(b * lk) flags")
        case .additive(let bias)?: precondition(bias.count == lq * lk, "attention: bias needs \(lq * lk) values")
        case nil: break
        }
        let heads = b * h, sq = lq * d, sk = lk * d, sv = lk * dv, sp = lq * lk, so = lq * dv
        var probs = uninitializedFloats(heads * sp)
        var out = uninitializedFloats(heads * so)
        q.data.withUnsafeBufferPointer { Q in
            k.data.withUnsafeBufferPointer { K in
                v.data.withUnsafeBufferPointer { V in
                    probs.withUnsafeMutableBufferPointer { P in
                        out.withUnsafeMutableBufferPointer { O in
                            var scores = uninitializedFloats(sp)
                            scores.withUnsafeMutableBufferPointer { S in
                                for i in 0..<heads {
                                    sgemm(transB: true, m: lq, n: lk, k: d, alpha: alpha, a: Q.baseAddress! + i * sq,
                                          lda: d, b: K.baseAddress! + i * sk, ldb: d, c: S.baseAddress!, ldc: lk)
                                    applyMask(mask, S, batch: i / h, lq: lq, lk: lk)
                                    qv_softmax_rows(S.baseAddress!, P.baseAddress! + i * sp, lq, lk)
                                    sgemm(m: lq, n: dv, k: lk, a: P.baseAddress! + i * sp, lda: lk,
                                          b: V.baseAddress! + i * sv, ldb: dv, c: O.baseAddress! + i * so, ldc: dv)
                                }
                            }
                        }
                    }
                }
            }
        }
        let result = Tensor(shape: [b, h, lq, dv], data: out)
        return result.recording([q, k, v]) { node in
            let g = node.grad!
            var dq = uninitializedFloats(q.count), dk = uninitializedFloats(k.count)
            var dvv = uninitializedFloats(v.count)
            var dp = uninitializedFloats(sp)
            let qd = q.data, kd = k.data, vd = v.data
            g.withUnsafeBufferPointer { G in qd.withUnsafeBufferPointer { Q in kd.withUnsafeBufferPointer { K in
            vd.withUnsafeBufferPointer { V in probs.withUnsafeBufferPointer { P in
            dq.withUnsafeMutableBufferPointer { DQ in dk.withUnsafeMutableBufferPointer { DK in
            dvv.withUnsafeMutableBufferPointer { DV in dp.withUnsafeMutableBufferPointer { DP in
                for i in 0..<heads {
                    let p = P.baseAddress! + i * sp, go = G.baseAddress! + i * so
                    // dV = Pᵀ·dO ; dP = dO·Vᵀ
                    sgemm(transA: true, m: lk, n: dv, k: lq, a: p, lda: lk, b: go, ldb: dv,
                          c: DV.baseAddress! + i * sv, ldc: dv)
                    sgemm(transB: true, m: lq, n: lk, k: dv, a: go, lda: dv, b: V.baseAddress! + i * sv, ldb: dv,
                          c: DP.baseAddress!, ldc: lk)
                    // dS = P ⊙ (dP − rowsum(dP ⊙ P)), then scaled.
                    qv_softmax_backward_rows(p, DP.baseAddress!, DP.baseAddress!, lq, lk, alpha, 0)
                    // dQ = dS·K ; dK = dSᵀ·Q
                    sgemm(m: lq, n: d, k: lk, a: DP.baseAddress!, lda: lk, b: K.baseAddress! + i * sk, ldb: d,
                          c: DQ.baseAddress! + i * sq, ldc: d)
                    sgemm(transA: true, m: lk, n: d, k: lq, a: DP.baseAddress!, lda: lk, b: Q.baseAddress! + i * sq,
                          ldb: d, c: DK.baseAddress! + i * sk, ldc: d)
                }
            } } } } } } } } }
            q.accumulateGrad(dq)
            k.accumulateGrad(dk)
            v.accumulateGrad(dvv)
        }
    }
}

@inline(__always)
private func applyMask(_ mask: AttentionMask?, _ s: UnsafeMutableBufferPointer<Float>, batch: Int, lq: Int, lk: Int) {
    switch mask {
    case .keyPadding(let valid)?:
        for j in 0..<lk where !valid[batch * lk + j] { for r in 0..<lq { s[r * lk + j] = -.infinity } }
    case .additive(let bias)?:
        for idx in 0..<(lq * lk) { s[idx] += bias[idx] }
    case nil: break
    }
}
