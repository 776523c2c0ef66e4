import Foundation
import Testing
@testable import QVMedia

@Suite("Video encode → decode")
struct VideoRoundTripTests {
    @Test("MP4 round trip keeps frame count, size, fps; mean abs error ≤ 6/255")
    func mp4RoundTrip() throws {
        let dir = try makeTempDirectory(); defer { cleanup(dir) }
        let clip = movingPatternClip(frames: 10, width: 64, height: 48, fps: 8)
        let path = dir + "/clip.mp4"
        let summary = try VideoEncoder.write(clip, to: path, options: EncodeOptions(quality: 0.8))
        #expect(summary.storedSize == FrameSize(width: 64, height: 48))
        let decoded = try VideoDecoder.decode(path)
        #expect(decoded.clip.frameCount == 10)
        #expect(decoded.clip.width == 64 && decoded.clip.height == 48)
        #expect(abs(decoded.clip.fps - 8) < 1e-6)
        #expect(!decoded.isTruncated)
        let mae = meanAbsoluteError(decoded.clip.pixels, clip.pixels)
        print("mp4 round trip (\(summary.encoder)) mean abs error: \(mae)")
        #expect(mae <= 6)
        let probe = try VideoProbe.probe(path)
        #expect(probe.frameCountEstimate == 10 && probe.width == 64 && probe.height == 48)
    }

    @Test("Quality knob: lower quality gives a smaller file and a larger error (H.264 and MPEG-4 Part 2 in MP4)",
          arguments: ["libx264", "mpeg4"])
    func qualityKnob(encoder: String) throws {
        let dir = try makeTempDirectory("quality\(encoder)"); defer { cleanup(dir) }
        let clip = movingPatternClip(frames: 8, width: 64, height: 64)
        var sizes: [Int] = [], errors: [Double] = []
        for (i, q) in [0.3, 0.9].enumerated() {
            let path = dir + "/q\(i).mp4"
            let s = try VideoEncoder.write(clip, to: path, options: EncodeOptions(quality: q, encoderName: encoder))
            #expect(s.encoder == encoder)
            sizes.append(try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int)
            let back = try VideoDecoder.decodeClip(path)
            #expect(back.frameCount == 8)
            errors.append(meanAbsoluteError(back.pixels, clip.pixels))
        }
        print("\(encoder) quality 0.3 / 0.9: bytes \(sizes), mean abs error \(errors)")
        #expect(sizes[0] < sizes[1])
        #expect(errors[0] > errors[1])
    }

    @Test("MPEG-4 Part 2 in AVI and odd sizes padded to even")
    func mpeg4OddSize() throws {
        let dir = try makeTempDirectory(); defer { cleanup(dir) }
        let clip = movingPatternClip(frames: 6, width: 33, height: 25, fps: 5)
        let path = dir + "/odd.avi"
        let summary = try VideoEncoder.write(clip, to: path, options: EncodeOptions(quality: 0.9))
        #expect(summary.encoder == "mpeg4")
        #expect(summary.storedSize == FrameSize(width: 34, height: 26))
        let decoded = try VideoDecoder.decodeClip(path)
        #expect(decoded.frameCount == 6 && decoded.width == 34 && decoded.height == 26)
        // Compare the original region only (the padding replicates the edge).
        var a = [UInt8](), b = [UInt8]()
        for t in 0..<6 { for y in 0..<25 { for x in 0..<33 { for c in 0..<3 {
            a.append(clip.pixels[((t * 25 + y) * 33 + x) * 3 + c])
            b.append(decoded.pixels[((t * 26 + y) * 34 + x) * 3 + c])
        } } } }
        let mae = meanAbsoluteError(a, b)
        print("avi/mpeg4 odd-size round trip mean abs error: \(mae)")
        #expect(mae <= 8)
    }

    @Test("WebM, MKV and GIF outputs decode back with the same frame count")
    func otherContainers() throws {
        let dir = try makeTempDirectory(); defer { cleanup(dir) }
        let clip = movingPatternClip(frames: 5, width: 32, height: 32, fps: 10)
        for ext in ["mkv", "webm", "gif"] {
            let path = dir + "/c.\(ext)"
            let s = try VideoEncoder.write(clip, to: path)
            let d = try VideoDecoder.decodeClip(path)
            #expect(d.frameCount == 5, "\(ext) via \(s.encoder)")
            #expect(d.width == 32 && d.height == 32)
            let mae = meanAbsoluteError(d.pixels, clip.pixels)
            print("\(ext) (\(s.encoder)) round trip mean abs error: \(mae)")
            #expect(mae <= (ext == "gif" ? 24 : 8), "\(ext)")
        }
    }

    @Test("Lossless mode stores frames exactly (FFV1 in MKV/AVI, H.264 RGB in MP4, VP9 in WebM), odd sizes kept",
          arguments: ["mkv", "avi", "mp4", "webm"])
    func lossless(ext: String) throws {
        let dir = try makeTempDirectory("lossless\(ext)"); defer { cleanup(dir) }
        let clip = movingPatternClip(frames: 4, width: 27, height: 19, fps: 6)
        let summary = try VideoEncoder.write(clip, to: dir + "/l.\(ext)", options: EncodeOptions(lossless: true))
        #expect(summary.storedSize == FrameSize(width: 27, height: 19))
        let back = try VideoDecoder.decodeClip(dir + "/l.\(ext)")
        #expect(back == clip, "\(ext) via \(summary.encoder) is not exact")
    }

    @Test("Atomic write leaves no temporary file and replaces an existing file")
    func atomicWrite() throws {
        let dir = try makeTempDirectory(); defer { cleanup(dir) }
        let path = dir + "/x.mp4"
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        _ = try VideoEncoder.write(movingPatternClip(frames: 2, width: 16, height: 16), to: path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["x.mp4"])
        #expect(try VideoDecoder.decodeClip(path).frameCount == 2)
    }

    @Test("Encoder rejects empty clips and unknown extensions, naming the file")
    func encoderErrors() throws {
        let dir = try makeTempDirectory(); defer { cleanup(dir) }
        let empty = VideoClip(frameCount: 0, height: 8, width: 8)
        let e1 = mediaError { try VideoEncoder.write(empty, to: dir + "/e.mp4") }
        #expect(e1?.description.contains("e.mp4") == true)
        let e2 = mediaError { try VideoEncoder.write(movingPatternClip(frames: 1, width: 8, height: 8), to: dir + "/x.notavideo") }
        #expect(e2?.description.contains("x.notavideo") == true)
        let e3 = mediaError { try VideoEncoder.write(movingPatternClip(frames: 1, width: 8, height: 8), to: dir + "/x.gif",
                                                     options: EncodeOptions(lossless: true)) }
        #expect(e3?.description.contains("x.gif") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }
}
