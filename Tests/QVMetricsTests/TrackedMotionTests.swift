import Testing
import QVMedia
@testable import QVMetrics

/// The tracked-centre reading of the caption object's motion (`OverallConsistency.trackedMotion`) on
/// clips whose motion is known by construction.
@Suite struct TrackedMotionTests {
    static let red: [UInt8] = [220, 40, 40]

    /// A red object whose centre moves (vx, vy) px/frame on a day sky while its outline changes every
    /// frame (disc and square in turn, radius 3.5–6.5 px): a generated object that wobbles as it travels.
    static func deforming(vx: Double, vy: Double, frames: Int = 8, radii: [Double]? = nil, alternate: Bool = true) -> VideoClip {
        let size = 32
        var pixels: [UInt8] = []
        for t in 0..<frames {
            let centre = (x: 16 + vx * (Double(t) - Double(frames - 1) / 2), y: 16 + vy * (Double(t) - Double(frames - 1) / 2))
            let radius = radii?[t] ?? [3.5, 6.5, 4.5, 6, 4, 5.5, 3.5, 6.5][t % 8]
            pixels += SyntheticClips.shape(frames: 1, size: size, colour: red, vx: 0, vy: 0, background: .daySky,
                                           square: alternate && t % 2 == 1, seed: 5, centre: centre, radius: radius).pixels
        }
        return VideoClip(frameCount: frames, height: size, width: size, pixels: pixels)
    }

    static func reading(_ clip: VideoClip) throws -> OverallConsistencyResult {
        let palette = CaptionedClip.palette
        let suite = MetricSuite(dimensions: [.overallConsistency])
        let row = try suite.evaluateRow(clip, name: "red object", expectation: ClipExpectation(
            objectColour: palette[0], palette: palette, motion: .direction(.east)))
        return try #require(row.overallConsistency)
    }

    /// The generated-clip failure of the mean-flow reading, reproduced: the flow of a wobbling object
    /// reads a north-east path as east and a southward one as incoherent; the tracked centre reads both.
    @Test func aDeformingObjectIsReadByWhereItGoes() throws {
        let diagonal = try Self.reading(Self.deforming(vx: 1.2, vy: -1.2))
        #expect(diagonal.observedMotion == .direction(.east))
        #expect(diagonal.trackedMotion == .direction(.northEast))
        let down = try Self.reading(Self.deforming(vx: 0, vy: 1.5))
        #expect(down.observedMotion == .other)
        #expect(down.trackedMotion == .direction(.south))
        for (vx, vy, direction) in [(1.5, 0.0, CompassDirection.east), (1.2, -1.2, .northEast), (0.0, 1.5, .south),
                                    (-1.2, 1.2, .southWest)] {
            let clip = Self.deforming(vx: vx, vy: vy)
            #expect(try Self.reading(clip).trackedMotion == .direction(direction), "\(direction)")
            // Played backwards it goes the opposite way.
            let backwards = clip.selecting(frames: Array((0..<clip.frameCount).reversed()))
            let opposite = CompassDirection.allCases[(CompassDirection.allCases.firstIndex(of: direction)! + 4) % 8]
            #expect(try Self.reading(backwards).trackedMotion == .direction(opposite), "\(direction) backwards")
        }
    }

    /// An object that grows in place moves its edges (the flow sees motion) but its centre stays: not a translation.
    @Test func growingInPlaceIsNotATranslation() throws {
        let growing = Self.deforming(vx: 0, vy: 0, radii: [3, 4, 5, 6, 7, 8, 9, 10])
        let result = try Self.reading(growing)
        #expect(result.observedMotion != .stationary)
        #expect(result.trackedMotion == .other)
        let still = Self.deforming(vx: 0, vy: 0, radii: [Double](repeating: 5, count: 8), alternate: false)
        #expect(try Self.reading(still).trackedMotion == .stationary)
    }

    /// Frames without the caption's colour give no track when they are the majority.
    @Test func noTrackWithoutTheCaptionsColour() throws {
        let clip = Self.deforming(vx: 1.5, vy: 0)
        let palette = CaptionedClip.palette
        let suite = MetricSuite(dimensions: [.overallConsistency])
        let yellow = try suite.evaluateRow(clip, name: "yellow object", expectation: ClipExpectation(
            objectColour: palette[3], palette: palette, motion: .direction(.east)))
        #expect(yellow.overallConsistency?.trackedMotion == nil)
    }
}
