import QVMedia

/// Subject and background consistency with VBench's aggregation, on classical features.
///
/// VBench (`subject_consistency.py`, `background_consistency.py`): per frame i ≥ 1,
/// `s_i = (max(0, cos(f_i, f_{i−1})) + max(0, cos(f_i, f_0))) / 2`; a video's score is Σs_i/(T−1) and the
/// benchmark's score is Σ over all videos of Σs_i divided by the total number of such frames
/// (frame-weighted). Features here are centred by the reference mean (see `ReferenceFrames`) and
/// L2-normalised.
enum TemporalConsistency {
    /// Sum of s_i over frames 1..<T and the number of terms (T − 1).
    static func score(features: [[Double]], referenceMean: [Double]) -> (sum: Double, count: Int) {
        let centred = features.map { centreAndNormalise($0, mean: referenceMean) }
        var sum = 0.0
        for i in 1..<max(1, centred.count) {
            let previous = max(0, cosine(centred[i], centred[i - 1]))
            let first = max(0, cosine(centred[i], centred[0]))
            sum += (previous + first) / 2
        }
        return (sum, max(0, centred.count - 1))
    }

    static func subjectFeatures(_ clip: VideoClip) -> [[Double]] {
        (0..<clip.frameCount).map { ConsistencyFeatures.subject(clip, frame: $0) }
    }

    static func backgroundFeatures(_ clip: VideoClip) -> [[Double]] {
        (0..<clip.frameCount).map { ConsistencyFeatures.background(clip, frame: $0) }
    }

    static func centreAndNormalise(_ f: [Double], mean: [Double]) -> [Double] {
        var out = f
        for i in out.indices { out[i] -= mean[i] }
        ConsistencyFeatures.normaliseL2(&out)
        return out
    }

    /// Cosine of two unit (or zero) vectors. Identical vectors give exactly 1 by definition (a
    /// floating-point dot product of a unit vector with itself can miss 1 by an ulp); two zero vectors
    /// are identical, one zero vector against a non-zero one gives 0.
    static func cosine(_ a: [Double], _ b: [Double]) -> Double {
        if a == b { return 1 }
        var dot = 0.0, na = 0.0, nb = 0.0
        for i in a.indices {
            dot += a[i] * b[i]
            na += a[i] * a[i]
            nb += b[i] * b[i]
        }
        guard na > 0, nb > 0 else { return 0 }
        return min(1, max(-1, dot / (na * nb).squareRoot()))
    }
}
