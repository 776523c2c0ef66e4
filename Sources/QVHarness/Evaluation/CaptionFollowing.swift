import Foundation
import QVData
import QVMedia
import QVMetrics

/// The teacher acceptance check (issue 3): on captioned clips, how often the dominant object colour
/// matches the caption's colour word, and how often the measured motion direction of a moving object
/// matches the caption's direction — the ground truth comes from the caption grammar.
public struct CaptionFollowing: Sendable, CustomStringConvertible {
    public var clips = 0
    public var colourHits = 0
    public var movingClips = 0
    public var directionHits = 0
    public var sceneHits = 0
    public var sceneClips = 0
    /// Captions of moving objects whose measured motion differed, with what was measured
    /// ("a red circle moves left …: measured north"): where a teacher's motion goes wrong.
    public var directionMisses: [String] = []

    public var colourAccuracy: Double { Double(colourHits) / Double(Swift.max(clips, 1)) }
    public var directionAccuracy: Double { Double(directionHits) / Double(Swift.max(movingClips, 1)) }
    public var sceneAccuracy: Double { Double(sceneHits) / Double(Swift.max(sceneClips, 1)) }

    public init() {}

    /// Scores clips against their captions with the overall-consistency measurements.
    public static func measure(_ items: [(clip: VideoClip, caption: Caption)], sceneClassifier: SceneClassifier?) throws -> CaptionFollowing {
        var result = CaptionFollowing()
        let suite = MetricSuite(dimensions: [.overallConsistency])
        for (clip, caption) in items {
            let expectation = ClipExpectation(caption: caption)
            let row = try suite.evaluateRow(clip, name: caption.render(), expectation: expectation, sceneClassifier: sceneClassifier)
            guard let observed = row.overallConsistency else { continue }
            result.clips += 1
            if observed.observedColour == expectation.objectColour?.name { result.colourHits += 1 }
            if case .direction = expectation.motion {
                result.movingClips += 1
                if observed.observedMotion == expectation.motion {
                    result.directionHits += 1
                } else {
                    result.directionMisses.append("\(caption.render()): measured \(describe(observed.observedMotion))")
                }
            }
            if let scene = observed.observedScene {
                result.sceneClips += 1
                if scene == expectation.scene { result.sceneHits += 1 }
            }
        }
        return result
    }

    private static func describe(_ motion: ExpectedMotion) -> String {
        switch motion {
        case let .direction(d): return "\(d)"
        case .stationary: return "stationary"
        case .other: return "incoherent motion"
        }
    }

    public var description: String {
        String(format: "colour %.1f%% (%d/%d), direction of moving objects %.1f%% (%d/%d), scene %.1f%% (%d/%d)",
               100 * colourAccuracy, colourHits, clips, 100 * directionAccuracy, directionHits, movingClips,
               100 * sceneAccuracy, sceneHits, sceneClips)
    }
}

extension MotionShapesDataset {
    /// Every rendered clip with the caption it was rendered from: ground truth for `CaptionFollowing`.
    func captionedClips() throws -> [(clip: VideoClip, caption: Caption)] {
        try (0..<count).map { i in
            let ex = try example(i)
            return (clip: ex.clip, caption: ex.caption)
        }
    }
}

/// A scene classifier fitted on rendered MotionShapes backgrounds (reference frames per scene).
public func motionShapesSceneClassifier(perScene: Int = 6) throws -> SceneClassifier {
    let refs = try MotionShapesRenderer(settings: RenderSettings()).referenceScenes(perScene: perScene, seed: 77, includeObjects: true)
    return try SceneClassifier.fit(refs.map { (clip: $0.clip, label: $0.label) })
}
