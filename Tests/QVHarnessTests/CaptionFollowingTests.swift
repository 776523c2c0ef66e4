import Testing
import QVData
import QVMedia
@testable import QVHarness

/// The teacher acceptance check measured on rendered ground truth, where the answer is known.
@Suite struct CaptionFollowingTests {
    /// The first 24 evaluation prompts × 1 seed, rendered from their captions.
    static func groundTruth() throws -> [(clip: VideoClip, caption: Caption)] {
        try MotionShapesDataset.evaluation(promptCount: 24, samplesPerPrompt: 1).captionedClips()
    }

    static func primaryMoves(_ caption: Caption) -> Bool {
        if case .moves = caption.primary.motion { true } else { false }
    }

    /// Every moving object of the rendered ground truth moves as captioned, second objects included
    /// (those are measured on the caption's colour), and nothing is listed as a miss.
    @Test func groundTruthFollowsItsCaptions() throws {
        let items = try Self.groundTruth()
        #expect(items.contains { $0.caption.secondary != nil && Self.primaryMoves($0.caption) })
        let result = try CaptionFollowing.measure(items, sceneClassifier: try motionShapesSceneClassifier(perScene: 2))
        #expect(result.movingClips >= 10)
        #expect(result.flowDirectionHits == result.movingClips, "\(result.flowDirectionMisses)")
        #expect(result.flowDirectionMisses.isEmpty)
        #expect(result.trackedDirectionHits == result.movingClips, "\(result.trackedDirectionMisses)")
        #expect(result.colourAccuracy >= 0.9)
        #expect(result.meetsTargets)
    }

    /// The same clips under captions whose direction is turned around: every moving clip is a miss,
    /// named by its (wrong) caption.
    @Test func reversedDirectionsAreAllMisses() throws {
        let reversed = try Self.groundTruth().map { item -> (clip: VideoClip, caption: Caption) in
            var caption = item.caption
            if case let .moves(d) = caption.primary.motion { caption.primary.motion = .moves(Self.opposite(d)) }
            return (item.clip, caption)
        }
        let result = try CaptionFollowing.measure(reversed, sceneClassifier: nil)
        #expect(result.movingClips >= 10)
        #expect(result.flowDirectionHits == 0)
        #expect(result.trackedDirectionHits == 0)
        #expect(result.flowDirectionMisses.count == result.movingClips)
        #expect(result.trackedDirectionMisses.count == result.movingClips)
        #expect(!result.meetsTargets)
        let firstMoving = try #require(reversed.first { Self.primaryMoves($0.caption) })
        #expect(result.flowDirectionMisses.first?.hasPrefix(firstMoving.caption.render() + ": measured ") == true)
    }

    static func opposite(_ d: QVData.CompassDirection) -> QVData.CompassDirection {
        switch d {
        case .left: .right
        case .right: .left
        case .up: .down
        case .down: .up
        case .upLeft: .downRight
        case .downRight: .upLeft
        case .upRight: .downLeft
        case .downLeft: .upRight
        }
    }
}
