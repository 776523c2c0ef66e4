import QVMedia
import QVTensor

/// A reference clip for fitting a scene classifier.
public struct SceneReference: Sendable {
    public var clip: VideoClip
    public var scene: SceneKind
    /// The class label ("night sky", …), equal to `CaptionExpectation.sceneLabel` for that scene.
    public var label: String { scene.label }
}

extension MotionShapesRenderer {
    /// Reference clips per scene for a nearest-centroid scene classifier: `perScene` clips of each scene
    /// with random objects (as generated frames have them) unless `includeObjects` is false, a third of
    /// them with camera pans, all from seeds disjoint from the train and evaluation streams.
    public func referenceScenes(perScene: Int = 8, seed: UInt64 = 0x5CE7E, includeObjects: Bool = true)
        throws(MotionShapesError) -> [SceneReference] {
        guard perScene >= 1 else { throw .badArgument("referenceScenes needs perScene ≥ 1, got \(perScene)") }
        var g = SeededGenerator(seed: seed, stream: "motionshapes.reference.scenes")
        let sampler = BalancedCaptionSampler(secondObjectFraction: 0.25, panFraction: 1.0 / 3)
        var out: [SceneReference] = []
        for scene in SceneKind.allCases {
            var captions = try sampler.sample(count: perScene, generator: &g)
            for k in captions.indices { captions[k].scene = scene }
            for caption in captions {
                let clipSeed = g.next()
                let clip = includeObjects ? render(caption, seed: clipSeed).clip
                                          : renderBackground(caption, seed: clipSeed).clip
                out.append(SceneReference(clip: clip, scene: scene))
            }
        }
        return out
    }
}
