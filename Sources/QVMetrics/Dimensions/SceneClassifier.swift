import QVMedia

/// Nearest-centroid scene classifier on background features, standing in for VBench's Tag2Text
/// captioner in the scene dimension.
///
/// `fit` standardises the background features (colour grid, low-frequency DCT, border colour histogram)
/// of every frame of the labelled reference clips per dimension, and keeps one centroid per label; a frame
/// gets the label of the nearest centroid (Euclidean distance in standardised space).
public struct SceneClassifier: Sendable, Hashable, Codable {
    /// Labels in first-seen order.
    public let labels: [String]
    let centroids: [[Double]]
    let featureMean: [Double]
    let featureScale: [Double]

    /// Fits on labelled reference clips (every frame of a clip carries its label).
    public static func fit(_ examples: [(clip: VideoClip, label: String)]) throws -> SceneClassifier {
        var features: [[Double]] = []
        var frameLabels: [Int] = []
        var labels: [String] = []
        for (index, example) in examples.enumerated() {
            guard !example.label.isEmpty else { throw MetricsError.emptyLabel(index: index) }
            let id: Int
            if let existing = labels.firstIndex(of: example.label) { id = existing } else { labels.append(example.label); id = labels.count - 1 }
            for t in 0..<example.clip.frameCount {
                features.append(ConsistencyFeatures.background(example.clip, frame: t))
                frameLabels.append(id)
            }
        }
        guard let first = features.first else { throw MetricsError.emptySet(what: "scene classifier training clips") }
        let d = first.count, n = Double(features.count)
        var mean = [Double](repeating: 0, count: d), scale = mean
        for f in features { for i in 0..<d { mean[i] += f[i] / n } }
        for f in features { for i in 0..<d { scale[i] += (f[i] - mean[i]) * (f[i] - mean[i]) / n } }
        // A dimension that never varies carries no information; a floor keeps it from dominating.
        for i in 0..<d { scale[i] = max(scale[i].squareRoot(), 1e-3) }
        var centroids = [[Double]](repeating: [Double](repeating: 0, count: d), count: labels.count)
        var counts = [Double](repeating: 0, count: labels.count)
        for (f, id) in zip(features, frameLabels) {
            for i in 0..<d { centroids[id][i] += (f[i] - mean[i]) / scale[i] }
            counts[id] += 1
        }
        for id in labels.indices { for i in 0..<d { centroids[id][i] /= counts[id] } }
        return SceneClassifier(labels: labels, centroids: centroids, featureMean: mean, featureScale: scale)
    }

    /// The label of frame `t`.
    public func classify(_ clip: VideoClip, frame t: Int) -> String {
        let f = ConsistencyFeatures.background(clip, frame: t)
        var best = 0, bestDistance = Double.infinity
        for (id, c) in centroids.enumerated() {
            var d2 = 0.0
            for i in c.indices {
                let z = (f[i] - featureMean[i]) / featureScale[i] - c[i]
                d2 += z * z
            }
            if d2 < bestDistance { bestDistance = d2; best = id }
        }
        return labels[best]
    }

    /// Labels of every frame, in order.
    public func classifyFrames(_ clip: VideoClip) -> [String] {
        (0..<clip.frameCount).map { classify(clip, frame: $0) }
    }
}

/// Scene consistency: VBench counts the frames whose caption contains the prompt's scene words and
/// divides by the frame count, per video and (frame-weighted) over all videos.
enum SceneConsistency {
    static func hits(_ clip: VideoClip, expected: String, classifier: SceneClassifier) -> (hits: Int, frames: Int) {
        let labels = classifier.classifyFrames(clip)
        return (labels.filter { $0 == expected }.count, labels.count)
    }
}
