import Testing
import QVMedia
import QVTensor
@testable import QVMetrics

@Suite struct ImagingQualityTests {
    /// A natural-ish test clip: smooth texture with a sharp-edged disc.
    static let base: VideoClip = {
        let texture = SyntheticClips.translatingTexture(frames: 2, size: 48, vx: 1, vy: 0, seed: 21)
        let disc = SyntheticClips.shape(frames: 2, size: 48, colour: [230, 60, 40], vx: 1, vy: 0, background: .grass, seed: 22)
        var pixels = texture.pixels
        for i in pixels.indices where i % 3 == 0 && disc.pixels[i] > 200 {
            pixels[i] = disc.pixels[i]; pixels[i + 1] = disc.pixels[i + 1]; pixels[i + 2] = disc.pixels[i + 2]
        }
        return VideoClip(frameCount: 2, height: 48, width: 48, pixels: pixels)
    }()

    static func strictlyDecreasing(_ values: [Double]) -> Bool {
        zip(values, values.dropFirst()).allSatisfy { $0 > $1 }
    }

    @Test func blurLadderIsMonotone() {
        let scores = [Float(0), 0.7, 1.2, 2, 3].map { ImagingQuality.score(SyntheticClips.blurred(Self.base, sigma: $0)) }
        #expect(Self.strictlyDecreasing(scores), "\(scores)")
    }

    @Test func noiseLadderIsMonotone() {
        let scores = [0.0, 3, 6, 12, 24].map { ImagingQuality.score(SyntheticClips.addingNoise(Self.base, sigma: $0, seed: 5)) }
        #expect(Self.strictlyDecreasing(scores), "\(scores)")
    }

    @Test func quantisationLadderIsMonotone() {
        let scores = [256, 32, 16, 8, 4].map { ImagingQuality.score(SyntheticClips.quantised(Self.base, levels: $0)) }
        #expect(Self.strictlyDecreasing(scores), "\(scores)")
    }

    /// Immerkær's estimator on pure Gaussian noise over a flat grey frame recovers σ (within 10%).
    @Test func noiseEstimateMatchesKnownSigma() {
        for sigma in [4.0, 10.0] {
            let flat = VideoClip(frameCount: 1, height: 64, width: 64, pixels: [UInt8](repeating: 128, count: 64 * 64 * 3))
            let noisy = SyntheticClips.addingNoise(flat, sigma: sigma, seed: 8)
            let terms = ImagingQuality.terms(noisy.lumaPlane(0))
            // Luma mixes three independent channels: σ_Y = σ·√(0.299² + 0.587² + 0.114²).
            let expected = sigma * (0.299 * 0.299 + 0.587 * 0.587 + 0.114 * 0.114).squareRoot() / 255
            #expect(abs(terms.noiseSigma - expected) < 0.1 * expected, "σ \(terms.noiseSigma) vs \(expected)")
        }
    }

    @Test func scoresStayInUnitInterval() {
        let black = VideoClip(frameCount: 1, height: 16, width: 16)
        let noisy = SyntheticClips.addingNoise(Self.base, sigma: 80, seed: 1)
        for clip in [black, noisy, Self.base] {
            let iq = ImagingQuality.score(clip), aq = AestheticQuality.score(clip)
            #expect(iq >= 0 && iq <= 1)
            #expect(aq >= 0 && aq <= 1)
        }
    }
}

@Suite struct AestheticQualityTests {
    @Test func colourfulBalancedFrameBeatsGreyAndOverexposed() {
        let base = ImagingQualityTests.base
        var grey = base
        for i in stride(from: 0, to: grey.pixels.count, by: 3) {
            let r: Double = 0.299 * Double(grey.pixels[i])
            let g: Double = 0.587 * Double(grey.pixels[i + 1])
            let b: Double = 0.114 * Double(grey.pixels[i + 2])
            let y = UInt8((r + g + b).rounded())
            grey.pixels[i] = y; grey.pixels[i + 1] = y; grey.pixels[i + 2] = y
        }
        var bright = base
        for i in bright.pixels.indices { bright.pixels[i] = UInt8(min(255, Int(bright.pixels[i]) + 110)) }
        let colourful = AestheticQuality.score(base)
        #expect(colourful > AestheticQuality.score(grey))
        #expect(colourful > AestheticQuality.score(bright))
    }

    /// Hasler–Süsstrunk colourfulness of a frame half pure red and half pure green, by hand:
    /// rg ∈ {255, −255} (σ = 255, μ = 0), yb = 127.5 everywhere (σ = 0, μ = 127.5).
    @Test func colourfulnessTermMatchesClosedForm() {
        var pixels = [UInt8](repeating: 0, count: 4 * 4 * 3)
        for i in 0..<16 { if i % 2 == 0 { pixels[i * 3] = 255 } else { pixels[i * 3 + 1] = 255 } }
        let clip = VideoClip(frameCount: 1, height: 4, width: 4, pixels: pixels)
        let m = 255.0 + 0.3 * 127.5
        let colour = 1 - expNeg(m / 45)
        let lumas = [0.299, 0.587]
        let mean = (lumas[0] + lumas[1]) / 2
        let sd = abs(lumas[0] - lumas[1]) / 2
        let contrast = min(1, sd / 0.25)
        let exposure = 1 - ((mean - 0.5) / 0.5) * ((mean - 0.5) / 0.5)
        let simplicity = 1 - AestheticQuality.edgeBoxArea(clip.lumaPlane(0))
        let expected = 0.3 * colour + 0.25 * contrast + 0.25 * exposure + 0.2 * simplicity
        #expect(abs(AestheticQuality.score(clip) - expected) < 1e-9)
    }
}

#if canImport(Glibc)
import Glibc
func expNeg(_ x: Double) -> Double { Glibc.exp(-x) }
#else
import Foundation
func expNeg(_ x: Double) -> Double { Foundation.exp(-x) }
#endif
