import Foundation
import Testing
@testable import QVMedia

/// Files written by the `ffmpeg` command-line tool (lavfi testsrc) at test time.
@Suite("Decoding files written by the ffmpeg CLI")
struct FixtureDecodeTests {
    /// testsrc 64×48 at 8 fps, 12 frames, in the container (and codec) chosen by `ext`.
    static func makeFixture(_ dir: String, ext: String, extra: [String] = []) throws -> String {
        let path = "\(dir)/testsrc.\(ext)"
        let status = try runFFmpeg(["-f", "lavfi", "-i", "testsrc=size=64x48:rate=8", "-frames:v", "12"] + extra + [path])
        #expect(status == 0, "ffmpeg failed to write \(path)")
        return path
    }

    @Test("mp4, mkv, webm, avi and gif decode with 12 frames of 64×48", .enabled(if: ffmpegPath != nil, "ffmpeg not on PATH"),
          arguments: ["mp4", "mkv", "webm", "avi", "gif"])
    func decodesContainer(ext: String) throws {
        let dir = try makeTempDirectory("fixture\(ext)"); defer { cleanup(dir) }
        let path = try Self.makeFixture(dir, ext: ext)
        let decoded = try VideoDecoder.decode(path)
        #expect(decoded.clip.frameCount == 12, "\(ext): \(decoded.warnings)")
        #expect(decoded.clip.width == 64 && decoded.clip.height == 48)
        #expect(!decoded.isTruncated, "\(ext): \(decoded.warnings)")
        // GIF stores delays in 1/100 s, so 8 fps (12.5 cs) comes back as 100/12 ≈ 8.33 or 8.08.
        let fpsTolerance = ext == "gif" ? 0.35 : 0.05
        #expect(abs(decoded.clip.fps - 8) < fpsTolerance, "\(ext) fps \(decoded.clip.fps)")
        let probe = try VideoProbe.probe(path)
        #expect(probe.width == 64 && probe.height == 48)
        #expect(abs(probe.fps - 8) < fpsTolerance)
        if let n = probe.frameCountEstimate { #expect(abs(n - 12) <= 1, "\(ext) probe estimate \(n)") }
        // testsrc's frames differ from one another (moving gradient + counter): decoding is not constant.
        #expect(decoded.clip.frame(0) != decoded.clip.frame(11))
    }

    @Test("Pixels equal the ffmpeg CLI's RGB24: H.264, VP9, MJPEG (full range), grey FFV1, PNG-in-MOV, 4:4:4, 10-bit",
          .enabled(if: ffmpegPath != nil, "ffmpeg not on PATH"),
          arguments: [["mp4"], ["webm"], ["avi", "-c:v", "mjpeg"], ["mkv", "-c:v", "ffv1", "-pix_fmt", "gray"], ["mov", "-c:v", "png"],
                      ["mkv", "-pix_fmt", "yuv444p"], ["mkv", "-pix_fmt", "yuv420p10le"]])
    func decodesVariant(args: [String]) throws {
        let dir = try makeTempDirectory("variant"); defer { cleanup(dir) }
        let path = try Self.makeFixture(dir, ext: args[0], extra: Array(args.dropFirst()))
        let decoded = try VideoDecoder.decode(path)
        #expect(decoded.clip.frameCount == 12 && decoded.clip.width == 64 && decoded.clip.height == 48, "\(args)")
        // Independent reference: the ffmpeg CLI's own conversion of the same file to raw RGB24.
        let raw = dir + "/reference.rgb"
        #expect(try runFFmpeg(["-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", raw]) == 0)
        let reference = [UInt8](try Data(contentsOf: URL(fileURLWithPath: raw)))
        #expect(reference.count == decoded.clip.pixels.count)
        let mae = reference.count == decoded.clip.pixels.count ? meanAbsoluteError(decoded.clip.pixels, reference) : .infinity
        print("\(args.joined(separator: " ")): mean abs difference from the ffmpeg CLI's RGB24: \(mae)")
        #expect(mae <= 1.0, "\(args): mean abs difference \(mae) from the ffmpeg CLI's RGB24 conversion")
    }

    @Test("Probe reports codec names", .enabled(if: ffmpegPath != nil, "ffmpeg not on PATH"))
    func probeCodec() throws {
        let dir = try makeTempDirectory(); defer { cleanup(dir) }
        #expect(try VideoProbe.probe(Self.makeFixture(dir, ext: "mp4")).codec == "h264")
        #expect(try VideoProbe.probe(Self.makeFixture(dir, ext: "gif")).codec == "gif")
        #expect(try VideoProbe.probe(Self.makeFixture(dir, ext: "avi")).codec == "mpeg4")
    }

    @Test("maxFrames, stride, start offset and resize select and scale the right frames",
          .enabled(if: ffmpegPath != nil, "ffmpeg not on PATH"))
    func selection() throws {
        let dir = try makeTempDirectory(); defer { cleanup(dir) }
        let path = try Self.makeFixture(dir, ext: "mkv", extra: ["-c:v", "ffv1"])  // lossless: exact comparisons
        let all = try VideoDecoder.decodeClip(path)
        #expect(all.frameCount == 12)

        let strided = try VideoDecoder.decodeClip(path, options: DecodeOptions(frameStride: 3))
        #expect(strided.frameCount == 4)
        #expect(abs(strided.fps - 8.0 / 3.0) < 1e-9)
        #expect(strided == all.selecting(frames: [0, 3, 6, 9]).withFPS(8.0 / 3.0))

        let window = try VideoDecoder.decodeClip(path, options: DecodeOptions(maxFrames: 3, frameStride: 2, start: .frame(5)))
        #expect(window == all.selecting(frames: [5, 7, 9]).withFPS(4))

        let fromSeconds = try VideoDecoder.decodeClip(path, options: DecodeOptions(maxFrames: 2, start: .seconds(0.5)))
        #expect(fromSeconds == all.selecting(frames: [4, 5]))

        let small = try VideoDecoder.decodeClip(path, options: DecodeOptions(outputSize: FrameSize(width: 32, height: 24)))
        #expect(small.frameCount == 12 && small.width == 32 && small.height == 24)
        // Area downscaling by 2 equals the 2×2 block mean of the full-size frame (up to rounding).
        var worst = 0
        for y in 0..<24 { for x in 0..<32 { for c in 0..<3 {
            var s = 0
            for dy in 0..<2 { for dx in 0..<2 { s += Int(all.pixels[((2 * y + dy) * 64 + 2 * x + dx) * 3 + c]) } }
            worst = max(worst, abs(Int(small.pixels[(y * 32 + x) * 3 + c]) - (s + 2) / 4))
        } } }
        #expect(worst <= 3, "area resize deviates from the 2×2 mean by \(worst)")

        let bilinear = try VideoDecoder.decodeClip(path, options: DecodeOptions(
            maxFrames: 1, outputSize: FrameSize(width: 100, height: 70), resizeFilter: .bilinear))
        #expect(bilinear.width == 100 && bilinear.height == 70 && bilinear.frameCount == 1)

        let past = mediaError { try VideoDecoder.decodeClip(path, options: DecodeOptions(start: .frame(40))) }
        #expect(past?.description.contains("past the last") == true)
    }
}

extension VideoClip {
    func withFPS(_ fps: Double) -> VideoClip { var c = self; c.fps = fps; return c }
}
