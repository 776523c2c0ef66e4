@testable import QVModels
@testable import QVQuant
import QVTensor

/// Tiny models and calibration data shared by the PTQ tests.
enum PTQFixtures {
    /// A one-block Wan-like DiT (hidden 32, 2 frames of 4×4 latents) with every parameter random
    /// (the zero-initialised adaLN and output projections too), wrapped as a reference model.
    static func tinyModel(family: ModelFamily = .wan, seed: UInt64 = 7) -> ReferenceModel {
        let c = DiTConfig(family: family, size: "t", hidden: 32, depth: 1, heads: 2, mlpRatio: 4, frames: 2,
                          latentHeight: 4, latentWidth: 4, latentChannels: 12, patch: 2, textLength: 4,
                          vocabularySize: 8, textDim: 32, pixelsPerLatent: 4)
        let d = 4 * 4 * 3
        let codec = LatentCodec(patch: 4, channels: 12, mean: [Float](repeating: 0, count: d),
                                basis: (0..<(12 * d)).map { Float(($0 * 7) % 13) / 13 - 0.5 },
                                scale: [Float](repeating: 1, count: 12))
        let model = ReferenceModel(config: c, codec: codec, vocabulary: ["<pad>", "<null>", "<unk>", "a", "b", "c", "d", "e"],
                                   seed: seed)
        var rng = SeededGenerator(seed: seed, stream: "ptq-fixture")
        for (_, p) in model.namedParameters {
            let bound: Float = 0.6 / Float(p.shape.last ?? 1).squareRoot()
            p.data = p.data.map { $0 + rng.uniform(-bound, bound) }
        }
        // A few activation-outlier-producing weight columns make balancing matter, as in real DiTs.
        for (_, l) in model.dit.quantizableLinears where l.inFeatures >= 32 {
            for r in 0..<l.outFeatures { l.weight.data[r * l.inFeatures + 3] *= 6 }
        }
        return model
    }

    static let captions: [[Int]] = [[3, 4, 5, 0], [6, 7, 0, 0]]

    static func calibration(_ model: ReferenceModel) -> CalibrationData {
        Calibration.capture(model: model, tokens: captions, seeds: [11, 12], steps: 4, timestepGroups: 2, rowsPerLayer: 64)
    }

    static func evaluation(_ model: ReferenceModel) -> PTQEvaluationSet {
        PTQEvaluationSet(model: model, inputs: Calibration.trajectoryInputs(model: model, tokens: captions, seeds: [21, 22],
                                                                            steps: 4, stride: 2))
    }

    /// A random layer whose input column 5 is an outlier channel, and calibration rows for it.
    static func layer(_ inF: Int = 64, _ outF: Int = 48, seed: UInt64 = 1) -> (Linear, LayerCalibration) {
        var rng = SeededGenerator(seed: seed)
        let l = Linear(inF, outF, rng: &rng)
        for i in 0..<outF { l.bias!.data[i] = rng.uniform(-0.1, 0.1) }
        // A low-rank structure plus outlier columns in the weight, like trained projections.
        for r in 0..<outF {
            let u = rng.uniform(-1, 1)
            for j in 0..<inF { l.weight.data[r * inF + j] += 0.3 * u * Float(j % 5 - 2) / Float(inF).squareRoot() }
            l.weight.data[r * inF + 9] *= 5
        }
        let rows = 96
        var samples = [Float](repeating: 0, count: rows * inF)
        var groups = [Int](repeating: 0, count: rows)
        for i in 0..<rows {
            groups[i] = i % 2
            let scale: Float = groups[i] == 0 ? 2 : 0.5
            for j in 0..<inF { samples[i * inF + j] = scale * rng.normal() * (j == 5 ? 20 : 1) }
        }
        var absMax = [Float](repeating: 0, count: inF)
        var byGroup = [[Float]](repeating: [Float](repeating: 0, count: inF), count: 2)
        for i in 0..<rows { for j in 0..<inF {
            let a = Swift.abs(samples[i * inF + j])
            absMax[j] = Swift.max(absMax[j], a)
            byGroup[groups[i]][j] = Swift.max(byGroup[groups[i]][j], a)
        } }
        let cal = LayerCalibration(inFeatures: inF, absMax: absMax, absMaxByGroup: byGroup, samples: samples,
                                   sampleGroups: groups, rowsSeen: rows)
        return (l, cal)
    }

    static func spec(_ w: Int, _ a: Int?, group: Int? = nil) -> QuantizationSpec {
        QuantizationSpec(weight: WeightQuantSpec(bits: w, groupSize: group),
                         activation: a.map { ActivationQuantSpec(bits: $0, groupSize: group) })
    }

    /// ‖a − b‖² computed naively in Double.
    static func squaredDistance(_ a: [Float], _ b: [Float]) -> Double {
        zip(a, b).reduce(0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
    }
}
