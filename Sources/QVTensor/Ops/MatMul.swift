import COpenBLAS
import CQVVectorMath

/// Row-major single-precision GEMM, C = α·op(A)·op(B) + β·C, through OpenBLAS.
/// op(A) is M×K, op(B) is K×N; leading dimensions are the stored row lengths.
@inline(__always)
public func sgemm(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
                  alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                  beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
    guard m > 0, n > 0 else { return }
    GEMMProfile.note(GEMMShape(m: m, n: n, k: k, transA: transA, transB: transB))
    if k == 0 {  // BLAS leaves C untouched only for β = 1; make the empty product explicit.
        for i in 0..<m { for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : c[i * ldc + j] * beta } }
        return
    }
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
}

extension Tensor {
    /// Matrix product over the last two axes, batched over the leading ones.
    ///
    /// `self` is […, M, K] (or […, K, M] with `transposeSelf`), `other` is either 2-D (shared by every
    /// batch, e.g. a weight) or has the same leading batch shape. Transposes are free (read by BLAS).
    public func matmul(_ other: Tensor, transposeSelf: Bool = false, transposeOther: Bool = false) -> Tensor {
        matmul(other, transposeSelf: transposeSelf, transposeOther: transposeOther, rowBias: nil)
    }

    /// `matmul`, plus a bias [N] added to every output row inside the GEMM (C starts as the bias and
    /// β = 1), which saves a separate broadcast pass over the output; only for a shared 2-D `other`
    /// and an untransposed `self` (a linear layer).
    func matmul(_ other: Tensor, transposeSelf: Bool, transposeOther: Bool, rowBias: Tensor?) -> Tensor {
        precondition(rank >= 2 && other.rank >= 2, "matmul: need rank ≥ 2, got \(shape) and \(other.shape)")
        let a = self, b = other
        let (ar, ac) = (a.shape[rank - 2], a.shape[rank - 1]), (br, bc) = (b.shape[b.rank - 2], b.shape[b.rank - 1])
        let (m0, k) = transposeSelf ? (ac, ar) : (ar, ac)
        let (k2, n) = transposeOther ? (bc, br) : (br, bc)
        precondition(k == k2, "matmul: inner dimensions differ, \(shape)\(transposeSelf ? "ᵀ" : "") × \(other.shape)\(transposeOther ? "ᵀ" : "")")
        let sharedB = b.rank == 2
        let batchShape = Array(a.shape.dropLast(2))
        let batch = batchShape.elementCount
        precondition(sharedB || Array(b.shape.dropLast(2)) == batchShape,
                     "matmul: batch shapes differ, \(shape) × \(other.shape)")
        // A weight shared by every batch entry with an untransposed left side is one tall GEMM.
        let fused = sharedB && !transposeSelf
        precondition(rowBias == nil || (fused && rowBias!.count == n), "matmul: a row bias needs a shared weight and \(n) values")
        let nb = fused ? 1 : batch, m = fused ? batch * m0 : m0
        let sa = ar * ac, sb = sharedB ? 0 : br * bc, sc = m * n
        var out = uninitializedFloats(nb * sc)
        a.data.withUnsafeBufferPointer { x in
            b.data.withUnsafeBufferPointer { y in
                out.withUnsafeMutableBufferPointer { z in
                    if let rowBias, m > 0, n > 0 {
                        rowBias.data.withUnsafeBufferPointer { qv_fill_rows(z.baseAddress!, $0.baseAddress!, m, n) }
                    }
                    for i in 0..<nb {
                        sgemm(transA: transposeSelf, transB: transposeOther, m: m, n: n, k: k,
                              a: x.baseAddress! + i * sa, lda: ac, b: y.baseAddress! + i * sb, ldb: bc,
                              beta: rowBias == nil ? 0 : 1, c: z.baseAddress! + i * sc, ldc: n)
                    }
                }
            }
        }
        let result = Tensor(shape: batchShape + [m0, n], data: out)
        return result.recording([a, b] + (rowBias.map { [$0] } ?? [])) { node in
            let g = node.grad!
            g.withUnsafeBufferPointer { gp in
                let gBase = gp.baseAddress!
                if let rowBias, rowBias.requiresGrad, m > 0 {
                    rowBias.accumulateGrad { db in qv_column_sums_accumulate(db.baseAddress!, gBase, m, n) }
                }
                if a.requiresGrad {
                    let bv = b.data
                    a.accumulateGrad { da in
                        bv.withUnsafeBufferPointer { y in
                            for i in 0..<nb {
                                let dA = da.baseAddress! + i * sa, B = y.baseAddress! + i * sb, G = gBase + i * sc
                                if !transposeSelf {  // dA[M×K] = G · op(B)ᵀ
                                    sgemm(transB: !transposeOther, m: m, n: k, k: n, a: G, lda: n, b: B, ldb: bc,
                                          beta: 1, c: dA, ldc: ac)
                                } else {  // dA[K×M] = op(B) · Gᵀ
                                    sgemm(transA: transposeOther, transB: true, m: k, n: m, k: n, a: B, lda: bc,
                                          b: G, ldb: n, beta: 1, c: dA, ldc: ac)
                                }
                            }
                        }
                    }
                }
                if b.requiresGrad {
                    let av = a.data
                    b.accumulateGrad { db in
                        av.withUnsafeBufferPointer { x in
                            for i in 0..<nb {
                                let dB = db.baseAddress! + i * sb, A = x.baseAddress! + i * sa, G = gBase + i * sc
                                if !transposeOther {  // dB[K×N] = op(A)ᵀ · G
                                    sgemm(transA: !transposeSelf, m: k, n: n, k: m, a: A, lda: ac, b: G, ldb: n,
                                          beta: 1, c: dB, ldc: bc)
                                } else {  // dB[N×K] = Gᵀ · op(A)
                                    sgemm(transA: true, transB: transposeSelf, m: n, n: k, k: m, a: G, lda: n,
                                          b: A, ldb: ac, beta: 1, c: dB, ldc: bc)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// y = x·Wᵀ + b for a weight stored [out, in] (PyTorch's layout) and an optional bias [out].
    public func linear(weight: Tensor, bias: Tensor? = nil) -> Tensor {
        guard let bias, rank >= 2, weight.rank == 2, bias.rank == 1 else {
            let y = matmul(weight, transposeOther: true)
            return bias.map { y + $0 } ?? y
        }
        return matmul(weight, transposeSelf: false, transposeOther: true, rowBias: bias)
    }
}
