import CFFmpeg

/// Options for `VideoEncoder.write`.
public struct EncodeOptions: Sendable, Equatable {
    /// 0 (smallest file) … 1 (best quality). Mapped per codec: H.264 CRF = 51·(1−q), MPEG-4 Part 2
    /// qscale = 1 + 30·(1−q), VP9 CRF = 63·(1−q); GIF has no knob.
    public var quality: Double
    /// x264 speed preset ("ultrafast" … "veryslow"); ignored by other encoders.
    public var x264Preset: String
    /// Force an encoder by libavcodec name (e.g. "mpeg4"); nil chooses by container (see `VideoEncoder`).
    public var encoderName: String?
    /// Store frames exactly (RGB pixel format, lossless codec): FFV1 for `.mkv`/`.avi`, H.264 RGB at
    /// QP 0 (libx264rgb) for `.mp4`/`.mov`, VP9 lossless for `.webm`. GIF cannot be lossless. `quality`
    /// is then ignored. For archiving generated clips bit-exactly; players may not show them.
    public var lossless: Bool

    public init(quality: Double = 0.75, x264Preset: String = "fast", encoderName: String? = nil, lossless: Bool = false) {
        self.quality = quality
        self.x264Preset = x264Preset
        self.encoderName = encoderName
        self.lossless = lossless
    }
}

/// What was written.
public struct EncodeSummary: Sendable, Equatable {
    public var path: String
    /// The libavcodec encoder used, e.g. "libx264" or "mpeg4".
    public var encoder: String
    /// Stored frame size: odd sizes are padded to even for 4:2:0 encoders (edge pixels replicated).
    public var storedSize: FrameSize
    public var frameCount: Int
}

/// Encodes a `VideoClip` to a file whose container is chosen by extension: `.mp4`/`.mov`/`.mkv` use H.264
/// (libx264) when this libavcodec has it, else MPEG-4 Part 2; `.avi` uses MPEG-4 Part 2; `.webm` uses
/// VP9 (else VP8); `.gif` uses the GIF encoder (RGB 3-3-2 palette, lossy); other extensions use the
/// container's default codec. Video is yuv420p where the encoder supports it. The file is written to a
/// temporary path beside the destination and renamed over it, so it appears complete or not at all.
public enum VideoEncoder {
    public static func write(_ clip: VideoClip, to path: String, options: EncodeOptions = EncodeOptions()) throws -> EncodeSummary {
        guard clip.frameCount > 0 else {
            throw MediaError.invalidArgument(what: "video encode to \(path)", reason: "the clip has no frames")
        }
        guard clip.fps.isFinite, clip.fps > 0, clip.fps <= 1000 else {
            throw MediaError.invalidArgument(what: "video encode to \(path)", reason: "fps \(clip.fps) must be in (0, 1000]")
        }
        guard options.quality >= 0, options.quality <= 1 else {
            throw MediaError.invalidArgument(what: "video encode to \(path)", reason: "quality \(options.quality) must be in 0…1")
        }
        _ = FFmpegSupport.configureLogging
        var summary: EncodeSummary?
        try AtomicFile.write(to: path) { tmp in
            let session = try EncoderSession(clip: clip, finalPath: path, tempPath: tmp, options: options)
            summary = try session.run()
        }
        return summary!
    }

    /// Encoder names tried for a file extension, in order of preference.
    static func encoderCandidates(forExtension ext: String, lossless: Bool) -> [String] {
        if lossless {
            switch ext.lowercased() {
            case "mkv", "avi": return ["ffv1"]
            case "mp4", "m4v", "mov": return ["libx264rgb"]
            case "webm": return ["libvpx-vp9"]
            default: return []
            }
        }
        switch ext.lowercased() {
        case "mp4", "m4v", "mov", "mkv": return ["libx264", "mpeg4"]
        case "avi": return ["mpeg4"]
        case "webm": return ["libvpx-vp9", "libvpx"]
        case "gif": return ["gif"]
        default: return []
        }
    }
}
