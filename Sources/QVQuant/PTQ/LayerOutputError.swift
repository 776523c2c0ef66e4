import QVModels
import QVTensor

/// A layer's output error on its calibration rows: the criterion every PTQ search minimises.
public struct LayerOutputError: Sendable, Hashable {
    /// Σ‖ŷ − y‖² / Σ‖y‖² over all rows.
    public var overall: Double
    /// The same per timestep group (nil for groups without rows).
    public var byGroup: [Double?]

    /// Mean of the per-group relative errors: every timestep group counts the same, however large its
    /// activations (the timestep-aware criterion).
    public var groupBalanced: Double {
        let present = byGroup.compactMap { $0 }
        return present.isEmpty ? overall : present.reduce(0, +) / Double(present.count)
    }

    /// Measures `replacement`'s output against the full-precision layer on `rows` ([n, in]) whose
    /// timestep groups are `groups` (one per row, `groupCount` groups).
    public static func measure(_ replacement: any LinearReplacement, base: Linear, rows: Tensor, groups: [Int],
                               groupCount: Int) -> LayerOutputError {
        let (y, yq) = withNoGrad { (rows.linear(weight: base.weight, bias: base.bias), replacement.forward(rows, base: base)) }
        return compare(yq.data, y.data, columns: base.outFeatures, groups: groups, groupCount: groupCount)
    }

    /// Relative error of `estimate` against `reference` (rows × columns), per row group.
    public static func compare(_ estimate: [Float], _ reference: [Float], columns: Int, groups: [Int],
                               groupCount: Int) -> LayerOutputError {
        let rows = reference.count / Swift.max(columns, 1)
        var num = [Double](repeating: 0, count: Swift.max(groupCount, 1)), den = num
        var count = [Int](repeating: 0, count: num.count)
        estimate.withUnsafeBufferPointer { e in
            reference.withUnsafeBufferPointer { r in
                for i in 0..<rows {
                    let g = i < groups.count ? Swift.min(Swift.max(groups[i], 0), num.count - 1) : 0
                    var n = 0.0, d = 0.0
                    for j in (i &* columns)..<((i &+ 1) &* columns) {
                        let diff = Double(e[j] - r[j])
                        n += diff * diff
                        d += Double(r[j]) * Double(r[j])
                    }
                    num[g] += n; den[g] += d; count[g] += 1
                }
            }
        }
        let overall = num.reduce(0, +) / Swift.max(den.reduce(0, +), 1e-30)
        let byGroup: [Double?] = (0..<num.count).map { count[$0] == 0 ? nil : num[$0] / Swift.max(den[$0], 1e-30) }
        return LayerOutputError(overall: overall, byGroup: byGroup)
    }
}

extension LayerCalibration {
    /// The error criterion PTQ minimises on this layer: group-balanced when `timestepAware`.
    func criterion(_ replacement: any LinearReplacement, base: Linear, groupCount: Int, timestepAware: Bool) -> Double {
        let e = LayerOutputError.measure(replacement, base: base, rows: sampleTensor, groups: sampleGroups, groupCount: groupCount)
        return timestepAware ? e.groupBalanced : e.overall
    }
}
