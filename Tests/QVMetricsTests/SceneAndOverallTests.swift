import Testing
import QVMedia
import QVTensor
@testable import QVMetrics

/// A captioned synthetic clip: what was drawn, and the expectation a caption would give.
struct CaptionedClip {
    var clip: VideoClip
    var colour: NamedColour
    var direction: CompassDirection
    var background: SyntheticClips.Background

    var expectation: ClipExpectation {
        ClipExpectation(objectColour: colour, palette: CaptionedClip.palette, motion: .direction(direction), scene: background.label)
    }

    static let palette = [NamedColour("red", 220, 40, 40), NamedColour("green", 40, 180, 60),
                          NamedColour("blue", 40, 80, 220), NamedColour("yellow", 235, 215, 40)]

    static func unitStep(_ d: CompassDirection) -> (Double, Double) {
        let index = Double(CompassDirection.allCases.firstIndex(of: d)!)
        let angle = index * Double.pi / 4
        return (cosine(angle), -sine(angle))
    }

    static func make(count: Int, seed: UInt64, speed: Double = 1.5) -> [CaptionedClip] {
        var rng = SeededGenerator(seed: seed, stream: "captioned")
        return (0..<count).map { i in
            let colour = rng.pick(palette)
            let direction = rng.pick(CompassDirection.allCases)
            let background = rng.pick(SyntheticClips.Background.allCases)
            let (dx, dy) = unitStep(direction)
            let clip = SyntheticClips.shape(frames: 6, size: 32, colour: [colour.red, colour.green, colour.blue],
                                            vx: speed * dx, vy: speed * dy, background: background,
                                            square: i % 2 == 1, seed: seed &* 1000 &+ UInt64(i))
            return CaptionedClip(clip: clip, colour: colour, direction: direction, background: background)
        }
    }

    /// Training clips for the scene classifier: every background, varied objects, seeds disjoint from tests.
    static func sceneTraining() throws -> SceneClassifier {
        var examples: [(clip: VideoClip, label: String)] = []
        for (b, background) in SyntheticClips.Background.allCases.enumerated() {
            for k in 0..<3 {
                let colour = palette[(b + k) % palette.count]
                let clip = SyntheticClips.shape(frames: 3, size: 32, colour: [colour.red, colour.green, colour.blue],
                                                vx: Double(k) - 1, vy: 1, background: background, square: k == 1,
                                                seed: 90_000 + UInt64(b * 10 + k))
                examples.append((clip, background.label))
            }
        }
        return try SceneClassifier.fit(examples)
    }
}

#if canImport(Glibc)
import Glibc
func cosine(_ x: Double) -> Double { Glibc.cos(x) }
func sine(_ x: Double) -> Double { Glibc.sin(x) }
#else
import Foundation
func cosine(_ x: Double) -> Double { Foundation.cos(x) }
func sine(_ x: Double) -> Double { Foundation.sin(x) }
#endif

@Suite struct SceneClassifierTests {
    @Test func recoversLabelsOfHeldOutFrames() throws {
        let classifier = try CaptionedClip.sceneTraining()
        let heldOut = CaptionedClip.make(count: 12, seed: 77)
        var correct = 0, total = 0
        for item in heldOut {
            for label in classifier.classifyFrames(item.clip) {
                if label == item.background.label { correct += 1 }
                total += 1
            }
        }
        #expect(Double(correct) / Double(total) >= 0.95, "\(correct)/\(total)")
    }

    @Test func sceneDimensionIsTheFrameHitRate() throws {
        let classifier = try CaptionedClip.sceneTraining()
        let item = CaptionedClip.make(count: 1, seed: 5)[0]
        let suite = MetricSuite(dimensions: [.scene])
        let right = try suite.evaluate(item.clip, expectation: ClipExpectation(scene: item.background.label), sceneClassifier: classifier)
        #expect(right[.scene] == 1)
        let wrongLabel = SyntheticClips.Background.allCases.first { $0 != item.background }!.label
        let wrong = try suite.evaluate(item.clip, expectation: ClipExpectation(scene: wrongLabel), sceneClassifier: classifier)
        #expect(wrong[.scene] == 0)
        // Omitted, not zero, without a classifier or a scene word.
        #expect(try suite.evaluate(item.clip, expectation: ClipExpectation(scene: wrongLabel))[.scene] == nil)
        #expect(try suite.evaluate(item.clip, sceneClassifier: classifier)[.scene] == nil)
    }

    @Test func fitRejectsEmptyInput() {
        #expect(throws: MetricsError.emptySet(what: "scene classifier training clips")) { try SceneClassifier.fit([]) }
        let clip = SyntheticClips.staticClip(frames: 1, size: 8)
        #expect(throws: MetricsError.emptyLabel(index: 0)) { try SceneClassifier.fit([(clip, "")]) }
    }
}

@Suite struct OverallConsistencyTests {
    @Test func compassSectors() {
        #expect(CompassDirection(dx: 1, dy: 0) == .east)
        #expect(CompassDirection(dx: -1, dy: 0) == .west)
        #expect(CompassDirection(dx: 0, dy: -1) == .north)
        #expect(CompassDirection(dx: 0, dy: 1) == .south)
        #expect(CompassDirection(dx: 1, dy: -1) == .northEast)
        #expect(CompassDirection(dx: -1, dy: 1) == .southWest)
        #expect(CompassDirection(dx: 1, dy: 0.3) == .east)
        #expect(CompassDirection(dx: 1, dy: 0.5) == .southEast)
    }

    @Test func stationaryAndOtherMotion() throws {
        let still = SyntheticClips.shape(frames: 6, size: 32, colour: [220, 40, 40], vx: 0, vy: 0, background: .daySky)
        let suite = MetricSuite(dimensions: [.overallConsistency])
        let row = try suite.evaluateRow(still, name: "still", expectation: ClipExpectation(motion: .stationary))
        #expect(row.overallConsistency?.observedMotion == .stationary)
        #expect(row.scores[.overallConsistency] == 1)
        // A clip that moves right then left: mean flow cancels, motion is not one translation.
        let right = SyntheticClips.shape(frames: 4, size: 32, colour: [220, 40, 40], vx: 2, vy: 0, background: .daySky)
        let backAndForth = right.selecting(frames: [0, 1, 2, 3, 2, 1, 0])
        let other = try suite.evaluateRow(backAndForth, name: "other", expectation: ClipExpectation(motion: .other))
        #expect(other.overallConsistency?.observedMotion == .other)
    }

    /// "A red circle moves left and a green circle moves right": the motion word belongs to the red
    /// object, so the direction is measured on the caption's colour; over all object pixels the two
    /// motions cancel and the clip reads as incoherent motion.
    @Test func directionIsMeasuredOnTheCaptionsObject() throws {
        let red: [UInt8] = [220, 40, 40], green: [UInt8] = [40, 180, 60]
        // Parallel paths 12 px apart (radii ≤ 5.8 px) that stay clear of the 4 px border band the
        // background colours are read from.
        let main = SyntheticClips.shape(frames: 6, size: 32, colour: red, vx: -2, vy: 0, background: .daySky, seed: 11,
                                        centre: (x: 16, y: 10))
        let second = SyntheticClips.shape(frames: 6, size: 32, colour: green, vx: 2, vy: 0, background: .daySky,
                                          seed: 11, centre: (x: 16, y: 22))
        // The second object is drawn over the first wherever it differs from the (shared) background.
        var pixels = main.pixels
        for t in 0..<6 {
            for y in 0..<32 {
                for x in 0..<32 {
                    let bg = SyntheticClips.Background.daySky.colour(x: x, y: y, size: 32, seed: 11)
                    let q = ((t * 32 + y) * 32 + x) * 3
                    let differs = (0..<3).contains { abs(Double(second.pixels[q + $0]) - bg[$0]) > 1 }
                    if differs { for c in 0..<3 { pixels[q + c] = second.pixels[q + c] } }
                }
            }
        }
        let both = VideoClip(frameCount: 6, height: 32, width: 32, pixels: pixels)
        let suite = MetricSuite(dimensions: [.overallConsistency])
        let palette = CaptionedClip.palette
        let captioned = try suite.evaluateRow(both, name: "red left", expectation: ClipExpectation(
            objectColour: palette[0], palette: palette, motion: .direction(.west)))
        #expect(captioned.overallConsistency?.observedMotion == .direction(.west))
        #expect(captioned.overallConsistency?.trackedMotion == .direction(.west))
        let unfocused = try suite.evaluateRow(both, name: "no colour word", expectation: ClipExpectation(
            palette: palette, motion: .direction(.west)))
        #expect(unfocused.overallConsistency?.observedMotion == .other)
    }

    /// Matched captions score high; the same clips with captions permuted score what a perfect observer
    /// would (the label agreement under that permutation), i.e. about chance.
    @Test func permutedExpectationsDropToChance() throws {
        let classifier = try CaptionedClip.sceneTraining()
        let items = CaptionedClip.make(count: 16, seed: 31)
        let suite = MetricSuite(dimensions: [.overallConsistency])
        var matched = 0.0
        for item in items {
            matched += try suite.evaluate(item.clip, expectation: item.expectation, sceneClassifier: classifier)[.overallConsistency]!
        }
        matched /= Double(items.count)
        var order = Array(items.indices)
        var rng = SeededGenerator(seed: 4)
        rng.shuffle(&order)
        var permuted = 0.0, oracle = 0.0
        for (i, j) in order.enumerated() {
            let expectation = items[j].expectation
            permuted += try suite.evaluate(items[i].clip, expectation: expectation, sceneClassifier: classifier)[.overallConsistency]!
            var agree = 0.0
            if items[i].colour == items[j].colour { agree += 1 }
            if items[i].direction == items[j].direction { agree += 1 }
            if items[i].background == items[j].background { agree += 1 }
            oracle += agree / 3
        }
        permuted /= Double(items.count)
        oracle /= Double(items.count)
        // Chance for uniform labels: (1/4 + 1/8 + 1/4)/3 ≈ 0.21.
        #expect(matched >= 0.9, "matched \(matched)")
        #expect(abs(permuted - oracle) <= 0.1, "permuted \(permuted), perfect observer \(oracle)")
        #expect(permuted <= 0.4, "permuted \(permuted)")
    }
}
