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

extension Tensor {
    /// Weighted mean squared error of the frame-to-frame differences of (prediction − target), for
    /// tensors shaped [B, T, …]: mean over b, t ≥ 1 and the rest of w_b·((p−y)[b,t] − (p−y)[b,t−1])².
    /// A loss term that weights the part of the error that changes over time (motion) and ignores
    /// error that is the same in every frame; being a positive semidefinite form in the error, it
    /// leaves the minimiser of an MSE objective unchanged and only changes what is learnt first.
    public static func temporalDifferenceMSE(_ prediction: Tensor, _ target: Tensor, sampleWeights: [Float]) -> Tensor {
        precondition(prediction.shape == target.shape, "temporalDifferenceMSE: shapes \(prediction.shape) and \(target.shape) differ")
        precondition(prediction.rank >= 2, "temporalDifferenceMSE: need [B, T, …], got \(prediction.shape)")
        let b = prediction.shape[0], frames = prediction.shape[1]
        precondition(sampleWeights.count == b, "temporalDifferenceMSE: \(sampleWeights.count) weights for \(b) samples")
        let frameSize = prediction.count / Swift.max(b * frames, 1)
        let terms = Swift.max(b * (frames - 1) * frameSize, 1)
        // Frame differences of the error, d[b, t−1, j] = e[b, t, j] − e[b, t−1, j].
        var diff = [Float](repeating: 0, count: b * Swift.max(frames - 1, 0) * frameSize)
        var total: Double = 0
        prediction.data.withUnsafeBufferPointer { p in
            target.data.withUnsafeBufferPointer { y in
                diff.withUnsafeMutableBufferPointer { diff in
                    for s in 0..<b {
                        var sum: Double = 0
                        for t in 1..<Swift.max(frames, 1) {
                            let cur = (s * frames + t) * frameSize, prev = cur - frameSize
                            let out = (s * (frames - 1) + t - 1) * frameSize
                            for j in 0..<frameSize {
                                let d = (p[cur + j] - y[cur + j]) - (p[prev + j] - y[prev + j])
                                diff[out + j] = d
                                sum += Double(d * d)
                            }
                        }
                        total += Double(sampleWeights[s]) * sum
                    }
                }
            }
        }
        let result = Tensor(Float(total / Double(terms)))
        let differences = diff
        return result.recording([prediction, target]) { node in
            // ∂/∂e[b,t] of w_b·Σ d² is 2w_b·(d[b,t] − d[b,t+1]) with d out of range taken as 0.
            let scale = 2 * node.grad![0] / Float(terms)
            var g = [Float](repeating: 0, count: prediction.count)
            g.withUnsafeMutableBufferPointer { g in
                differences.withUnsafeBufferPointer { diff in
                    for s in 0..<b {
                        let w = scale * sampleWeights[s]
                        for t in 1..<Swift.max(frames, 1) {
                            let cur = (s * frames + t) * frameSize, prev = cur - frameSize
                            let d = (s * (frames - 1) + t - 1) * frameSize
                            for j in 0..<frameSize {
                                g[cur + j] += w * diff[d + j]
                                g[prev + j] -= w * diff[d + j]
                            }
                        }
                    }
                }
            }
            prediction.accumulateGrad(g)
            target.accumulateGrad { dt in g.withUnsafeBufferPointer { g in for i in 0..<g.count { dt[i] -= g[i] } } }
        }
    }
}
