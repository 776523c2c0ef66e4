import QVModels
import QVTensor

/// Input statistics of one linear layer, captured along the teacher's sampling trajectories.
public struct LayerCalibration: Sendable {
    public let inFeatures: Int
    /// max |x_j| over every input row seen, per input channel.
    public var absMax: [Float]
    /// The same per timestep group (early … late sampling steps).
    public var absMaxByGroup: [[Float]]
    /// A deterministic reservoir sample of input rows (rows × inFeatures), for output-error searches.
    public var samples: [Float]
    /// Timestep group of each sampled row.
    public var sampleGroups: [Int]
    public var rowsSeen = 0

    /// The sampled rows as a tensor [rows, inFeatures].
    public var sampleTensor: Tensor { Tensor(shape: [samples.count / inFeatures, inFeatures], data: samples) }
}

/// Calibration data of a model: per-layer statistics keyed by layer path.
public struct CalibrationData: Sendable {
    public var layers: [String: LayerCalibration]
    public var timestepGroups: Int
}

/// Captures layer inputs while the (full-precision) model samples; installed temporarily in place of
/// each Linear's forward.
final class CalibrationRecorder: LinearReplacement {
    var stats: LayerCalibration
    let capacity: Int
    var rng: SeededGenerator
    let phase: CalibrationPhase

    init(inFeatures: Int, groups: Int, capacity: Int, seed: UInt64, name: String, phase: CalibrationPhase) {
        stats = LayerCalibration(inFeatures: inFeatures, absMax: [Float](repeating: 0, count: inFeatures),
                                 absMaxByGroup: [[Float]](repeating: [Float](repeating: 0, count: inFeatures), count: groups),
                                 samples: [], sampleGroups: [])
        self.capacity = capacity
        rng = SeededGenerator(seed: seed, stream: "calibration-" + name)
        self.phase = phase
    }

    var extraParameters: [(String, Tensor)] { [] }

    func forward(_ x: Tensor, base: Linear) -> Tensor {
        let n = stats.inFeatures, rows = x.count / n, g = phase.group
        x.data.withUnsafeBufferPointer { xs in
            for r in 0..<rows {
                for j in 0..<n {
                    let a = Swift.abs(xs[r * n + j])
                    if a > stats.absMax[j] { stats.absMax[j] = a }
                    if a > stats.absMaxByGroup[g][j] { stats.absMaxByGroup[g][j] = a }
                }
                // Reservoir sampling (Algorithm R) with our generator.
                stats.rowsSeen += 1
                if stats.sampleGroups.count < capacity {
                    stats.samples += xs[(r * n)..<((r + 1) * n)]
                    stats.sampleGroups.append(g)
                } else {
                    let k = rng.nextInt(below: stats.rowsSeen)
                    if k < capacity {
                        for j in 0..<n { stats.samples[k * n + j] = xs[r * n + j] }
                        stats.sampleGroups[k] = g
                    }
                }
            }
        }
        return x.linear(weight: base.weight, bias: base.bias)
    }
}

/// The sampling step's timestep group, shared by the recorders.
final class CalibrationPhase: @unchecked Sendable { var group = 0 }

public enum Calibration {
    /// Runs the model's sampler on the calibration captions and records every quantizable layer's
    /// inputs. Any replacement already installed is restored afterwards.
    public static func capture(model: ReferenceModel, tokens: [[Int]], seeds: [UInt64], steps: Int, guidance: Float? = nil,
                               timestepGroups: Int = 2, rowsPerLayer: Int = 512) -> CalibrationData {
        let phase = CalibrationPhase()
        let linears = model.dit.quantizableLinears
        let saved = linears.map { $0.1.replacement }
        let recorders = linears.map { name, l in
            let r = CalibrationRecorder(inFeatures: l.inFeatures, groups: timestepGroups, capacity: rowsPerLayer,
                                        seed: 0, name: name, phase: phase)
            l.replacement = r
            return r
        }
        defer { for ((_, l), s) in zip(linears, saved) { l.replacement = s } }
        let sampler = model.sampler
        for (ids, seed) in zip(tokens, seeds) {
            phase.group = 0
            _ = sampler.sample(tokens: ids, nullTokens: model.nullTokens(), seeds: [seed], steps: steps,
                               guidance: guidance ?? model.config.defaultGuidance) { done, total in
                phase.group = Swift.min(done * timestepGroups / total, timestepGroups - 1)
            }
        }
        var layers: [String: LayerCalibration] = [:]
        for ((name, _), r) in zip(linears, recorders) { layers[name] = r.stats }
        return CalibrationData(layers: layers, timestepGroups: timestepGroups)
    }
}
