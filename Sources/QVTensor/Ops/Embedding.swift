/// Embedding lookup and the fused losses used by training.
extension Tensor {
    /// Rows of a [vocabulary, dim] table for the given ids, shaped `idsShape + [dim]`.
    public static func embedding(_ table: Tensor, ids: [Int], idsShape: [Int]? = nil) -> Tensor {
        precondition(table.rank == 2, "embedding: table must be [vocabulary, dim], got \(table.shape)")
        let (vocab, dim) = (table.shape[0], table.shape[1])
        var out = uninitializedFloats(ids.count * dim)
        table.data.withUnsafeBufferPointer { t in
            out.withUnsafeMutableBufferPointer { y in
                for (i, id) in ids.enumerated() {
                    precondition(id >= 0 && id < vocab, "embedding: id \(id) outside vocabulary of \(vocab)")
                    for j in 0..<dim { y[i * dim + j] = t[id * dim + j] }
                }
            }
        }
        let result = Tensor(shape: (idsShape ?? [ids.count]) + [dim], data: out)
        return result.recording([table]) { node in
            let g = node.grad!
            table.accumulateGrad { dt in
                for (i, id) in ids.enumerated() { for j in 0..<dim { dt[id * dim + j] += g[i * dim + j] } }
            }
        }
    }

    /// Mean squared error between two tensors of one shape, as a scalar.
    public static func mseLoss(_ prediction: Tensor, _ target: Tensor) -> Tensor {
        precondition(prediction.shape == target.shape, "mseLoss: shapes \(prediction.shape) and \(target.shape) differ")
        let n = prediction.count
        var total: Double = 0
        prediction.data.withUnsafeBufferPointer { p in
            target.data.withUnsafeBufferPointer { t in
                for i in 0..<n { let d = Double(p[i] - t[i]); total += d * d }
            }
        }
        let result = Tensor(Float(total / Double(Swift.max(n, 1))))
        return result.recording([prediction, target]) { node in
            let scale = 2 * node.grad![0] / Float(Swift.max(n, 1))
            let p = prediction.data, t = target.data
            prediction.accumulateGrad { dp in for i in 0..<n { dp[i] += scale * (p[i] - t[i]) } }
            target.accumulateGrad { dt in for i in 0..<n { dt[i] -= scale * (p[i] - t[i]) } }
        }
    }
}
