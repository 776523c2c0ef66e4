import Foundation
import Testing
@testable import QVMedia

/// Bad input ends in a `MediaError` naming the file, never a crash or a hang.
@Suite("Decoding bad files")
struct DecodeFailureTests {
    @Test("Missing file")
    func missing() {
        let e = mediaError { try VideoDecoder.decode("/nonexistent/dir/clip.mp4") }
        #expect(e == .fileNotFound(path: "/nonexistent/dir/clip.mp4"))
        #expect(mediaError { try VideoProbe.probe("/nonexistent/x.mkv") } == .fileNotFound(path: "/nonexistent/x.mkv"))
        #expect(e?.description.contains("clip.mp4") == true)
    }

    @Test("Empty file and random bytes")
    func garbage() throws {
        let dir = try makeTempDirectory(); defer { cleanup(dir) }
        let empty = dir + "/empty.mp4"
        #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
        #expect(mediaError { try VideoDecoder.decode(empty) } == .emptyFile(path: empty))

        let random = dir + "/random.mkv"
        #expect(FileManager.default.createFile(atPath: random, contents: Data(pseudoRandomBytes(count: 20_000, seed: 7))))
        let e = mediaError { try VideoDecoder.decode(random) }
        #expect(e != nil)
        #expect(e?.path == random)
        #expect(e?.description.contains("random.mkv") == true)
    }

    @Test("Audio-only file has no video stream", .enabled(if: ffmpegPath != nil, "ffmpeg not on PATH"))
    func audioOnly() throws {
        let dir = try makeTempDirectory(); defer { cleanup(dir) }
        let path = dir + "/tone.wav"
        #expect(try runFFmpeg(["-f", "lavfi", "-i", "sine=frequency=440:duration=0.5", path]) == 0)
        #expect(mediaError { try VideoDecoder.decode(path) } == .noVideoStream(path: path))
        #expect(mediaError { try VideoProbe.probe(path) } == .noVideoStream(path: path))
    }

    @Test("Zero-frame files: MP4 without samples, MKV cut inside its first cluster",
          .enabled(if: ffmpegPath != nil, "ffmpeg not on PATH"))
    func zeroFrames() throws {
        let dir = try makeTempDirectory(); defer { cleanup(dir) }
        // ffmpeg writes an MP4 with no track at all when asked for zero frames.
        let mp4 = dir + "/zero.mp4"
        #expect(try runFFmpeg(["-f", "lavfi", "-i", "testsrc=size=64x48:rate=8", "-frames:v", "0", mp4]) == 0)
        #expect(mediaError { try VideoDecoder.decode(mp4) } == .noVideoStream(path: mp4))

        // A Matroska file whose headers declare the video stream but which ends right after the first
        // Cluster's id (EBML 1F 43 B6 75): the stream exists, no frame does.
        let full = try FixtureDecodeTests.makeFixture(dir, ext: "mkv")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: full)))
        let clusterID: [UInt8] = [0x1F, 0x43, 0xB6, 0x75]
        let cut = try #require((0..<(bytes.count - 4)).first { Array(bytes[$0..<($0 + 4)]) == clusterID })
        let headerOnly = dir + "/header-only.mkv"
        try Data(bytes[0..<(cut + 4)]).write(to: URL(fileURLWithPath: headerOnly))
        let e = mediaError { try VideoDecoder.decode(headerOnly, options: DecodeOptions(acceptTruncated: true)) }
        guard case .noFrames(let p, _)? = e else {
            Issue.record("expected noFrames, got \(String(describing: e))"); return
        }
        #expect(p == headerOnly)
    }

    /// 48 frames of 128×96 with a keyframe every 8 frames, so a cut file still holds decodable frames.
    static func makeLongFixture(_ dir: String, ext: String, extra: [String] = []) throws -> String {
        let path = "\(dir)/long.\(ext)"
        let status = try runFFmpeg(["-f", "lavfi", "-i", "testsrc=size=128x96:rate=8", "-frames:v", "48", "-g", "8"] + extra + [path])
        #expect(status == 0)
        return path
    }

    /// Cuts a valid file to `fraction` of its bytes.
    static func truncatedCopy(of path: String, fraction: Double, to out: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(Int(Double(data.count) * fraction)).write(to: URL(fileURLWithPath: out))
    }

    @Test("Truncated MKV: throws by default, returns the decoded prefix flagged with acceptTruncated",
          .enabled(if: ffmpegPath != nil, "ffmpeg not on PATH"))
    func truncatedMKV() throws {
        let dir = try makeTempDirectory(); defer { cleanup(dir) }
        let full = try Self.makeLongFixture(dir, ext: "mkv")
        let cut = dir + "/cut.mkv"
        try Self.truncatedCopy(of: full, fraction: 0.6, to: cut)

        let e = mediaError { try VideoDecoder.decode(cut) }
        guard case .truncated(let p, let n, _)? = e else {
            Issue.record("expected truncated, got \(String(describing: e))"); return
        }
        #expect(p == cut)
        #expect(n > 0 && n < 48)
        #expect(e!.description.contains("cut.mkv"))

        let kept = try VideoDecoder.decode(cut, options: DecodeOptions(acceptTruncated: true))
        #expect(kept.isTruncated)
        #expect(!kept.warnings.isEmpty)
        // A start offset does not hide the truncation (decoding always runs from the first frame).
        #expect(mediaError { try VideoDecoder.decode(cut, options: DecodeOptions(frameStride: 2, start: .frame(3))) }?.path == cut)
        #expect(kept.clip.frameCount > 0 && kept.clip.frameCount < 48)
        #expect(kept.clip.width == 128 && kept.clip.height == 96)
        // The frames that survived equal the intact file's first frames.
        let reference = try VideoDecoder.decodeClip(full, options: DecodeOptions(maxFrames: kept.clip.frameCount))
        #expect(meanAbsoluteError(kept.clip.pixels, reference.pixels) < 1)
    }

    @Test("Truncated MP4: moov-at-end file is unreadable, faststart file is flagged truncated",
          .enabled(if: ffmpegPath != nil, "ffmpeg not on PATH"))
    func truncatedMP4() throws {
        let dir = try makeTempDirectory(); defer { cleanup(dir) }
        let plain = try FixtureDecodeTests.makeFixture(dir, ext: "mp4")
        let cut = dir + "/cut.mp4"
        try Self.truncatedCopy(of: plain, fraction: 0.6, to: cut)
        let e = mediaError { try VideoDecoder.decode(cut, options: DecodeOptions(acceptTruncated: true)) }
        #expect(e?.path == cut)

        let fast = try Self.makeLongFixture(dir, ext: "mp4", extra: ["-movflags", "+faststart"])
        let cutFast = dir + "/cutfast.mp4"
        try Self.truncatedCopy(of: fast, fraction: 0.6, to: cutFast)
        let e2 = mediaError { try VideoDecoder.decode(cutFast) }
        guard case .truncated(let p, _, _)? = e2 else {
            Issue.record("expected truncated, got \(String(describing: e2))"); return
        }
        #expect(p == cutFast)
        let kept = try VideoDecoder.decode(cutFast, options: DecodeOptions(acceptTruncated: true))
        #expect(kept.isTruncated && kept.clip.frameCount > 0 && kept.clip.frameCount < 48)
    }

    @Test("A timeout stops decoding with an error naming the file", .enabled(if: ffmpegPath != nil, "ffmpeg not on PATH"))
    func timeout() throws {
        let dir = try makeTempDirectory(); defer { cleanup(dir) }
        let path = try FixtureDecodeTests.makeFixture(dir, ext: "mkv")
        let e = mediaError { try VideoDecoder.decode(path, options: DecodeOptions(timeoutSeconds: 1e-9)) }
        #expect(e?.path == path)
    }

    @Test("Invalid options are rejected before opening the file")
    func badOptions() {
        let e = mediaError { try VideoDecoder.decode("/x.mp4", options: DecodeOptions(frameStride: 0)) }
        guard case .invalidArgument(let what, _)? = e else { Issue.record("got \(String(describing: e))"); return }
        #expect(what.contains("/x.mp4"))
    }
}

@Suite("Decoding corrupted files")
struct CorruptionTests {
    @Test("Bytes overwritten inside valid files: a clean result, a flagged result, or an error naming the file",
          .enabled(if: ffmpegPath != nil, "ffmpeg not on PATH"), arguments: ["mp4", "mkv", "avi", "gif", "webm"])
    func corrupted(ext: String) throws {
        let dir = try makeTempDirectory("corrupt\(ext)"); defer { cleanup(dir) }
        let full = try DecodeFailureTests.makeLongFixture(dir, ext: ext)
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: full)))
        var outcomes: [String] = []
        for seed in UInt64(1)...6 {
            var bytes = original
            let noise = pseudoRandomBytes(count: 64, seed: seed)
            // 32 positions in the back 90% of the file, each overwritten by a random byte.
            for k in 0..<32 {
                let pos = bytes.count / 10 + Int(UInt32(noise[2 * k]) << 8 | UInt32(noise[2 * k + 1])) % (bytes.count * 9 / 10)
                bytes[pos] = noise[(k * 7) % 64] ^ 0x5A
            }
            let path = dir + "/corrupt-\(seed).\(ext)"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                let d = try VideoDecoder.decode(path, options: DecodeOptions(acceptTruncated: true))
                #expect(d.clip.frameCount > 0 && d.clip.frameCount <= 64)
                outcomes.append(d.isTruncated ? "flagged(\(d.clip.frameCount))" : "clean(\(d.clip.frameCount))")
            } catch let e as MediaError {
                #expect(e.path == path, "\(e)")
                outcomes.append("error")
            }
        }
        print("corrupted \(ext): \(outcomes.joined(separator: " "))")
    }
}
