import Testing
import QVMedia
@testable import QVData

@Suite struct RendererTests {
    let renderer = try! MotionShapesRenderer()

    func caption(_ colour: ColourName, _ shape: ShapeKind, _ motion: MotionKind, _ scene: SceneKind = .greyBackground,
                 pan: PanDirection? = nil) -> Caption {
        Caption(primary: ObjectSpec(colour: colour, shape: shape, motion: motion), scene: scene, pan: pan)
    }

    func measure(_ c: Caption, seed: UInt64, renderer r: MotionShapesRenderer? = nil) -> (RenderedClip, [ObjectMeasurement]) {
        let r = r ?? renderer
        let rendered = r.render(c, seed: seed)
        let bg = r.renderBackground(c, seed: seed).clip
        let colour = rendered.truth.objects[0].colour
        let m = (0..<rendered.clip.frameCount).map { measureObject(frame: $0, clip: rendered.clip, background: bg, colour: colour) }
        return (rendered, m)
    }

    @Test func sameSeedGivesIdenticalBytesAndDifferentSeedsDiffer() throws {
        let c = try Caption.parse("a red circle moves left and a blue square grows on green grass while the camera pans up")
        let a = renderer.render(c, seed: 42), b = renderer.render(c, seed: 42), d = renderer.render(c, seed: 43)
        #expect(a.clip.pixels == b.clip.pixels)
        #expect(a.truth == b.truth)
        #expect(a.clip.pixels != d.clip.pixels)
        #expect(a.truth.objects[0].frames[0] != d.truth.objects[0].frames[0])
        #expect(a.clip.frameCount == 8 && a.clip.height == 32 && a.clip.width == 32)
    }

    @Test(arguments: CompassDirection.allCases)
    func measuredCentroidMovesInTheCaptionedDirectionAtTheStatedSpeed(direction: CompassDirection) throws {
        for seed in UInt64(0)..<4 {
            let (rendered, m) = measure(caption(.orange, .square, .moves(direction), .desertSand), seed: seed)
            let track = rendered.truth.objects[0]
            #expect(track.speed >= 1 && track.speed <= 2, "speed \(track.speed) px/frame")
            for (t, f) in track.frames.enumerated() {
                #expect(abs(m[t].centroidX - Double(f.centreX)) < 0.25 && abs(m[t].centroidY - Double(f.centreY)) < 0.25,
                        "frame \(t): measured (\(m[t].centroidX), \(m[t].centroidY)) vs (\(f.centreX), \(f.centreY))")
            }
            let (ux, uy) = direction.unitVector
            let dx = m[7].centroidX - m[0].centroidX, dy = m[7].centroidY - m[0].centroidY
            let along = dx * Double(ux) + dy * Double(uy), across = -dx * Double(uy) + dy * Double(ux)
            let expected = Double(track.speed) * 7
            #expect(abs(along - expected) < 0.1 * expected, "travelled \(along) px, expected \(expected)")
            #expect(abs(across) < 0.4, "sideways drift \(across) px")
        }
    }

    @Test func staticObjectStaysPut() {
        for seed in UInt64(0)..<3 {
            let (_, m) = measure(caption(.green, .triangle, .staysStill, .woodenFloor), seed: seed)
            for t in 1..<8 {
                #expect(abs(m[t].centroidX - m[0].centroidX) < 0.05 && abs(m[t].centroidY - m[0].centroidY) < 0.05)
                #expect(abs(m[t].area - m[0].area) < 0.5)
            }
        }
    }

    @Test func growsIncreasesAndShrinksDecreasesTheMeasuredArea() {
        for shape in ShapeKind.allCases {
            let (gTruth, grow) = measure(caption(.cyan, shape, .grows, .nightSky), seed: 5)
            let (_, shrink) = measure(caption(.cyan, shape, .shrinks, .nightSky), seed: 5)
            for t in 1..<8 {
                #expect(grow[t].area > grow[t - 1].area, "\(shape) grows: frame \(t)")
                #expect(shrink[t].area < shrink[t - 1].area, "\(shape) shrinks: frame \(t)")
            }
            #expect(grow[7].area > 2.5 * grow[0].area)
            #expect(shrink[0].area > 2.5 * shrink[7].area)
            // Supersampled coverage matches the exact shape area.
            for t in [0, 7] {
                let exact = Double(gTruth.truth.objects[0].frames[t].area)
                #expect(abs(grow[t].area - exact) < 0.06 * exact + 1, "\(shape): area \(grow[t].area) vs \(exact)")
            }
        }
    }

    @Test func rotatingDiamondTurnsByTheStatedSpinAndKeepsItsCentre() {
        let (rendered, m) = measure(caption(.yellow, .diamond, .rotates, .daySky), seed: 11)
        let frames = rendered.truth.objects[0].frames
        for t in 1..<8 {
            #expect(abs(m[t].centroidX - m[0].centroidX) < 0.2 && abs(m[t].centroidY - m[0].centroidY) < 0.2)
            // The diamond's long axis is vertical at angle 0: principal angle = angle + π/2 (mod π).
            var expected = Double(frames[t].angle - frames[t - 1].angle)
            var measured = m[t].principalAngle - m[t - 1].principalAngle
            while measured > .pi / 2 { measured -= .pi }
            while measured < -.pi / 2 { measured += .pi }
            while expected > .pi / 2 { expected -= .pi }
            while expected < -.pi / 2 { expected += .pi }
            #expect(abs(measured - expected) < 0.06, "frame \(t): turned \(measured) rad, expected \(expected)")
            #expect(abs(expected) >= 15 * .pi / 180 - 1e-4)
        }
    }

    @Test func rotatingSquareChangesItsPixelsButNotItsCentre() {
        let (_, m) = measure(caption(.red, .square, .rotates, .greyBackground), seed: 2)
        for t in 1..<8 {
            let changed = zip(m[t].coverage, m[t - 1].coverage).reduce(0.0) { $0 + abs($1.0 - $1.1) }
            #expect(changed > 0.1 * m[t].area, "frame \(t): only \(changed) px² changed")
            #expect(abs(m[t].centroidX - m[0].centroidX) < 0.2 && abs(m[t].centroidY - m[0].centroidY) < 0.2)
        }
    }

    @Test func bounceMovesVerticallyOnly() {
        for seed in UInt64(0)..<3 {
            let (_, m) = measure(caption(.purple, .circle, .bounces, .greenGrass), seed: seed)
            let ys = m.map(\.centroidY), xs = m.map(\.centroidX)
            #expect(ys.max()! - ys.min()! > 4, "bounce height \(ys.max()! - ys.min()!)")
            #expect(xs.max()! - xs.min()! < 0.1)
        }
    }

    @Test func dominantObjectColourIsTheCaptionColour() {
        for (k, colour) in ColourName.allCases.enumerated() {
            for scene in SceneKind.allCases {
                let (_, m) = measure(caption(colour, ShapeKind.allCases[k % 5], .moves(.right), scene), seed: UInt64(k))
                let core = m[3].coreColour
                #expect(core.map { CaptionExpectation.nearestColour(to: $0) } == colour, "\(colour) on \(scene)")
                #expect(core.map { $0.distance(to: colour.rgb) < 15 } == true)
            }
        }
    }

    @Test func cameraPanShiftsTheBackgroundOppositeToTheCamera() throws {
        let c = caption(.white, .cross, .staysStill, .desertSand, pan: .down)
        let bg = renderer.renderBackground(c, seed: 9)
        let shift = bg.truth.cameraOffsets[4].y
        #expect(shift > 4 && shift <= 6.01)
        // Frame 4 at row y shows what frame 0 showed at row y + shift (linear interpolation).
        var shiftedError = 0.0, unshiftedError = 0.0, n = 0.0
        for y in 2..<(32 - 9) {
            for x in 0..<32 {
                let sy = Double(y) + Double(shift)
                let y0 = Int(sy), f = sy - Double(y0)
                for ch in 0..<3 {
                    let a = Double(bg.clip.pixels[((0 * 32 + y0) * 32 + x) * 3 + ch])
                    let b = Double(bg.clip.pixels[((0 * 32 + y0 + 1) * 32 + x) * 3 + ch])
                    let now = Double(bg.clip.pixels[((4 * 32 + y) * 32 + x) * 3 + ch])
                    shiftedError += abs(now - (a * (1 - f) + b * f))
                    unshiftedError += abs(now - Double(bg.clip.pixels[((0 * 32 + y) * 32 + x) * 3 + ch]))
                    n += 1
                }
            }
        }
        #expect(shiftedError / n < 0.4 * unshiftedError / n, "shifted \(shiftedError / n) vs unshifted \(unshiftedError / n)")
        let still = renderer.renderBackground(caption(.white, .cross, .staysStill, .desertSand), seed: 9)
        #expect(still.clip.frame(0).elementsEqual(still.clip.frame(7)))
    }

    @Test func backgroundsAreTexturedNotFlat() {
        for scene in SceneKind.allCases {
            let clip = renderer.renderBackground(caption(.red, .circle, .staysStill, scene), seed: 1).clip
            let luma = stride(from: 0, to: 32 * 32 * 3, by: 3).map {
                0.299 * Double(clip.pixels[$0]) + 0.587 * Double(clip.pixels[$0 + 1]) + 0.114 * Double(clip.pixels[$0 + 2])
            }
            let mean = luma.reduce(0, +) / Double(luma.count)
            let std = (luma.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(luma.count)).squareRoot()
            #expect(std > 2, "\(scene): luma std \(std)")
        }
    }

    @Test func anyFrameSizeKeepsObjectsInsideTheFrame() throws {
        let r = try MotionShapesRenderer(settings: RenderSettings(frameCount: 16, height: 24, width: 40))
        for motion in MotionKind.allCases {
            let c = Caption(primary: ObjectSpec(colour: .blue, shape: .triangle, motion: motion),
                            secondary: ObjectSpec(colour: .white, shape: .square, motion: .moves(.downLeft)),
                            scene: .daySky)
            let rendered = r.render(c, seed: 3)
            #expect(rendered.clip.frameCount == 16 && rendered.clip.height == 24 && rendered.clip.width == 40)
            for track in rendered.truth.objects {
                for f in track.frames {
                    let reach = f.radius * track.spec.shape.boundingRadius
                    #expect(f.centreX - reach >= 0 && f.centreX + reach <= 40)
                    #expect(f.centreY - reach >= 0 && f.centreY + reach <= 24)
                }
            }
        }
        #expect(throws: MotionShapesError.self) { try MotionShapesRenderer(settings: RenderSettings(height: 4)) }
    }

    @Test func twoObjectsAreKeptApart() throws {
        let captions = try MotionShapesPrompts.trainingCaptions(count: 240, seed: 1).filter { $0.secondary != nil }
        #expect(captions.count == 60)
        var separated = 0
        for (k, c) in captions.enumerated() {
            let truth = renderer.render(c, seed: UInt64(k)).truth
            if TrackPlanner.clearance(truth.objects[0], truth.objects[1]) >= 0 { separated += 1 }
        }
        #expect(separated >= 57, "only \(separated) of 60 two-object clips keep the objects apart")
    }
}
